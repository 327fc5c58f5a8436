"""The coach's pages added for #11 (g-coach2): the paged list of the coach's programs."""

from tests.authz.spec import Entry, only, practice

ENTRIES = [
    # Any coach of the practice has a list (their own programs; empty for the other coach).
    Entry("coach_program_list", only(["coach", "other_coach"]), kwargs=practice),
]
