"""The back office shows organisations, people, roles and logins and changes none of them: they
change through the services (`orgs.services`, `accounts.services`, `createsuperuser`), which
record each change in the history."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from zhenggai.orgs.models import Membership, Organisation, Person
from zhenggai.readonly_admin import ReadOnlyAdmin


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin):
    list_display = ["indented_name", "kind", "short_name"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]

    @admin.display(description="名称")
    def indented_name(self, obj: Organisation) -> str:
        return "　" * (obj.depth - 1) + obj.name


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ["name", "title", "organisation", "user"]
    search_fields = ["name", "title"]


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ["user", "organisation", "role"]
    list_filter = ["role"]


class ReadOnlyUserAdmin(ReadOnlyAdmin, UserAdmin):
    pass


user_model = get_user_model()
if admin.site.is_registered(user_model):
    admin.site.unregister(user_model)
admin.site.register(user_model, ReadOnlyUserAdmin)
