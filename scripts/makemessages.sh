#!/usr/bin/env bash
# Refresh the Chinese message catalogues (needs GNU gettext: apt-get install gettext).
# Each app keeps its own catalogue in <app>/locale; strings outside the apps (base template,
# settings) go to src/gendan/locale. Translate the new msgstr entries, then `gendan compile_catalogues`.
set -euo pipefail
cd "$(dirname "$0")/../src/gendan"
APPS="core accounts masterdata inventory notifications orders planning issues meetings shopfloor purchasing stores quality escalations"
for app in $APPS; do
  mkdir -p "$app/locale"
  (cd "$app" && uv run django-admin makemessages -l zh_Hans --no-obsolete --no-location --ignore "tests/*" >/dev/null)
done
ignores=()
for app in $APPS engine; do ignores+=(--ignore "$app/*"); done
uv run django-admin makemessages -l zh_Hans --no-obsolete --no-location "${ignores[@]}" >/dev/null
echo "catalogues refreshed:"; ls -1 */locale/zh_Hans/LC_MESSAGES/django.po locale/zh_Hans/LC_MESSAGES/django.po
