from django.contrib import admin

from zhenggai.orgs.models import Membership, Organisation, Person
from zhenggai.orgs.services import organisation_create, organisation_move


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["indented_name", "kind", "short_name"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]
    readonly_fields = ["path"]

    @admin.display(description="名称")
    def indented_name(self, obj: Organisation) -> str:
        return "　" * (obj.depth - 1) + obj.name

    def save_model(self, request, obj, form, change):
        # The path of the tree is kept by the services, never by hand.
        if not change:
            created = organisation_create(
                name=obj.name, kind=obj.kind, parent=obj.parent, short_name=obj.short_name
            )
            obj.pk, obj.path = created.pk, created.path
            return
        moved = "parent" in form.changed_data
        new_parent = obj.parent
        super().save_model(request, obj, form, change)
        if moved:
            organisation_move(org=obj, new_parent=new_parent)


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "organisation", "user"]
    search_fields = ["name", "title"]
    autocomplete_fields = ["organisation"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role"]
    list_filter = ["role"]
    autocomplete_fields = ["organisation"]
