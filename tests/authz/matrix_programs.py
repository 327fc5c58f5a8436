from tests.authz.spec import Entry, only, practice
from tests.programs import builders

PARTIES = ["admin", "client", "sponsor"]


def _proposal(status):
    def kwargs(world):
        return {"slug": world.practice.slug, "code": builders.proposal(world, status=status).code}

    return kwargs


def _contract(status):
    def kwargs(world):
        return {"slug": world.practice.slug, "code": builders.contract(world, status=status).code}

    return kwargs


ENTRIES = [
    Entry("proposal_list", only(["admin"]), kwargs=practice),
    Entry("proposal_create", only(["admin"]), kwargs=practice),
    Entry("proposal_detail", only(PARTIES), kwargs=_proposal("sent")),
    Entry("proposal_send", only(["admin"], 302), kwargs=_proposal("draft"), method="post"),
    Entry("proposal_withdraw", only(["admin"], 302), kwargs=_proposal("sent"), method="post"),
    Entry(
        "proposal_respond",
        only(["client", "sponsor"], 302),
        kwargs=_proposal("sent"),
        method="post",
        data={"decision": "accept"},
    ),
    Entry(
        "contract_create",
        only(["admin"], 302),
        kwargs=_proposal("accepted"),
        method="post",
        data={"starts_on": "2027-01-04"},
    ),
    Entry("contract_detail", only(PARTIES), kwargs=_contract("sent")),
    Entry("contract_edit", only(["admin"]), kwargs=_contract("draft")),
    Entry("contract_send", only(["admin"], 302), kwargs=_contract("draft"), method="post"),
    Entry(
        "contract_accept",
        only(PARTIES, 302),
        kwargs=_contract("sent"),
        method="post",
        data={"version": "1", "party": "client"},
    ),
]
