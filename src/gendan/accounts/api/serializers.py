from django.contrib.auth import password_validation
from rest_framework import serializers

from ..models import Department, User


class UserSerializer(serializers.ModelSerializer):
    password = serializers.CharField(write_only=True, required=False, allow_blank=False)

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "display_name",
            "email",
            "phone",
            "department",
            "role",
            "language",
            "is_active",
            "last_login",
            "password",
        ]
        read_only_fields = ["id", "is_active", "last_login"]

    def validate_password(self, value):
        # The same password rules as the user page (settings.AUTH_PASSWORD_VALIDATORS).
        password_validation.validate_password(value, self.instance)
        return value


class DepartmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = [
            "id",
            "code",
            "name",
            "name_en",
            "kind",
            "manager",
            "ack_timeout_hours",
            "change_approval",
            "is_archived",
        ]
        read_only_fields = ["id", "is_archived"]
