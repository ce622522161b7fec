"""Every core service records its timeline event; permissions follow role memberships."""

import pytest

from salesservice.core import services
from salesservice.core.exceptions import ConflictError, DomainError, PermissionDeniedError
from salesservice.core.models import Event, Membership, User

pytestmark = pytest.mark.django_db


def events(event_type):
    return Event.objects.filter(event_type=event_type)


def test_user_create_update_and_memberships_record_events(demo, users):
    admin = users["admin"]
    user = services.user_create(
        actor=admin, username="new_cs", password="Str0ng-pass-2026!", display_name="新客服", phone="13712345678"
    )
    assert events("core.user_created").filter(target_id=str(user.pk), actor=admin).exists()
    services.user_update(actor=admin, user_id=user.pk, expected_version=user.version, display_name="新客服甲")
    update = events("core.user_updated").get(target_id=str(user.pk))
    assert update.new == {"display_name": "新客服甲"}
    membership = services.membership_grant(actor=admin, user=user, org_unit=demo["hz-xihu"], role_code="cs_rep")
    assert events("core.membership_granted").filter(target_id=str(user.pk)).exists()
    user = User.objects.get(pk=user.pk)
    assert user.has_perm("core.view_orgunit")
    services.membership_revoke(actor=admin, membership=membership)
    assert events("core.membership_revoked").filter(target_id=str(user.pk)).exists()
    user = User.objects.get(pk=user.pk)
    assert not user.has_perm("core.view_orgunit")


def test_permissions_follow_memberships_edited_outside_services(demo, users):
    """An admin inline edit creates a Membership row directly; the role's permissions apply at once."""
    from django.contrib.auth.models import Group

    user = User.objects.create_user("plain", password="x")
    assert not user.has_perm("core.reveal_personal_data")
    Membership.objects.create(user=user, org_unit=demo["sh-xuhui"], role=Group.objects.get(name="store_manager"))
    assert User.objects.get(pk=user.pk).has_perm("core.reveal_personal_data")


def test_user_may_edit_own_profile_but_not_activate_self(users):
    me = users["xuhui_cs"]
    services.user_update(actor=me, user_id=me.pk, expected_version=me.version, phone="13600000000")
    me.refresh_from_db()
    assert me.phone == "13600000000"
    with pytest.raises(PermissionDeniedError):
        services.user_update(actor=me, user_id=me.pk, expected_version=me.version, is_active=False)


def test_weak_password_and_duplicate_username_are_refused(users):
    with pytest.raises(DomainError) as weak:
        services.user_create(actor=users["admin"], username="weak", password="123")
    assert weak.value.code == "user.weak_password"
    with pytest.raises(DomainError) as duplicate:
        services.user_create(actor=users["admin"], username="xuhui_cs", password="Str0ng-pass-2026!")
    assert duplicate.value.code == "user.duplicate"
    assert not User.objects.filter(username="weak").exists()


def test_stale_user_update_is_refused(users):
    target = users["xuhui_engineer"]
    services.user_update(actor=users["admin"], user_id=target.pk, expected_version=target.version, display_name="赵一")
    with pytest.raises(ConflictError):
        services.user_update(
            actor=users["admin"], user_id=target.pk, expected_version=target.version, display_name="赵二"
        )
    target.refresh_from_db()
    assert target.display_name == "赵一"


def test_region_admin_cannot_grant_roles_outside_their_region(demo, users):
    from django.contrib.auth.models import Group

    regional_admin = User.objects.create_user("east_admin", password="x")
    Membership.objects.create(user=regional_admin, org_unit=demo["east"], role=Group.objects.get(name="system_admin"))
    regional_admin = User.objects.get(pk=regional_admin.pk)
    with pytest.raises(PermissionDeniedError):
        services.membership_grant(
            actor=regional_admin, user=users["sales_rep"], org_unit=demo["gz-tianhe"], role_code="cs_rep"
        )
    services.membership_grant(
        actor=regional_admin, user=users["sales_rep"], org_unit=demo["hz-xihu"], role_code="cs_rep"
    )
