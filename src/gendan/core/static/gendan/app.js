// Small behaviours the pages share; everything else is htmx or plain HTML forms.
document.addEventListener("click", (event) => {
  const toggle = event.target.closest("[data-toggle-nav]");
  if (toggle) document.getElementById("mainnav").classList.toggle("open");
});
// Export links export the list as it is now filtered and sorted: htmx changes the address, so
// the links follow it.
document.addEventListener("htmx:pushedIntoHistory", () => {
  document.querySelectorAll("a[data-follow-query]").forEach((link) => {
    link.search = window.location.search;
  });
});
// "Add line" of a formset (the order form): a copy of the empty form from its <template>.
document.addEventListener("click", (event) => {
  if (!event.target.closest("[data-add-line]")) return;
  const total = document.getElementById("id_lines-TOTAL_FORMS");
  const html = document.getElementById("line-template").innerHTML.replace(/__prefix__/g, total.value);
  document.getElementById("line-rows").insertAdjacentHTML("beforeend", html);
  total.value = parseInt(total.value, 10) + 1;
});
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) event.preventDefault();
});

// On a phone a table stacks, each cell under its column's header (app.css shows data-label): the
// cells of tables written by hand get the header's text here, those added later (htmx, "add line")
// too. Cells that already say their label keep it.
function labelCells() {
  for (const table of document.querySelectorAll("table.grid")) {
    const heads = Array.from(table.querySelectorAll("thead th"), (th) => th.textContent.trim());
    if (!heads.length) continue;
    for (const row of table.querySelectorAll("tbody tr")) {
      let column = 0;
      for (const cell of row.children) {
        if (cell.tagName !== "TD") continue;
        if (!cell.hasAttribute("data-label") && cell.colSpan === 1 && heads[column]) cell.dataset.label = heads[column];
        column += cell.colSpan;
      }
    }
  }
}
let labelling = false;
new MutationObserver(() => {
  if (labelling) return;
  labelling = true;
  requestAnimationFrame(() => { labelCells(); labelling = false; });
}).observe(document.documentElement, { childList: true, subtree: true });
document.addEventListener("DOMContentLoaded", labelCells);
