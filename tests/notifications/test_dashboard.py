from coaching.access import PracticeAccess, Role
from coaching.notifications.dashboard import panels
from coaching.notifications.models import Reminder


def access_of(world, role):
    return PracticeAccess(user=world.admin, practice=world.practice, roles=frozenset({role}))


def test_the_admin_panel_appears_only_when_reminders_failed(world, due_reminder):
    reminder = due_reminder()
    assert panels(access_of(world, Role.ADMIN), Role.ADMIN) == []
    Reminder.objects.filter(pk=reminder.pk).update(status=Reminder.Status.FAILED)
    [panel] = panels(access_of(world, Role.ADMIN), Role.ADMIN)
    assert panel["failed"] == 1
    assert panels(access_of(world, Role.COACH), Role.COACH) == []


def test_the_panel_renders_on_the_admin_dashboard(world, due_reminder, client_for, settings):
    settings.DASHBOARD_PANEL_MODULES = [
        *settings.DASHBOARD_PANEL_MODULES,
        "coaching.notifications.dashboard",
    ]
    Reminder.objects.filter(pk=due_reminder().pk).update(status=Reminder.Status.FAILED)
    response = client_for(world.admin).get(f"/p/{world.practice.slug}/admin/")
    assert "1 reminder could not be sent." in response.content.decode()
