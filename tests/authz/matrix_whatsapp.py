from coaching.whatsapp.models import WhatsAppOptIn
from tests.authz.spec import MEMBERS, SCHEDULER, Entry, everyone, only, practice

PERSONAS = [*MEMBERS, SCHEDULER, "outsider"]


def opted_in_everyone(world):
    """An opt-in in force for every persona (the URL itself takes no kwargs)."""
    from coaching.whatsapp.services import opt_in_give

    for name in PERSONAS:
        opt_in_give(user=world.persona(name), phone="0812 3456 7890")
    return {}


# Effects: (world, kwargs) -> a snapshot of what the POST changes (tests/authz/spec.py)


def opt_ins_in_force(world, kwargs):
    return tuple(WhatsAppOptIn.objects.in_force().order_by("user_id").values_list("user_id"))


ENTRIES = [
    Entry("whatsapp_channels", everyone(200), practice_scoped=False),
    Entry(
        "whatsapp_opt_in",
        everyone(302),
        method="post",
        data={"phone": "0812 3456 7890", "agree": "on"},
        practice_scoped=False,
        effect=opt_ins_in_force,
    ),
    Entry(
        "whatsapp_opt_out",
        everyone(302),
        kwargs=opted_in_everyone,
        method="post",
        practice_scoped=False,
        effect=opt_ins_in_force,
    ),
    Entry(
        "whatsapp_webhook",
        everyone(404, anonymous=404),
        public=True,
        practice_scoped=False,
        note="Meta's webhook: signed, not signed in; 404 while the channel is not configured "
        "(tests/whatsapp/test_webhook.py covers the configured answers: 200, 403)",
    ),
    Entry("practice_whatsapp_channels", only(["admin"]), kwargs=practice),
]
