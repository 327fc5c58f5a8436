from session_templates.models import ProgramTemplate, SessionTemplate, TemplatePart

Kind = TemplatePart.Kind


def coach_template(world, *, order, check_in=(5, 10), check_out=15, prompts=None, owner=None):
    """A template of the world's coach with the parts in `order` (kinds, or ("extra", title))."""
    template = SessionTemplate.objects.create(
        practice=world.practice,
        owner=owner or world.coach,
        name="Model of the world's coach",
        check_in_min_minutes=check_in[0],
        check_in_max_minutes=check_in[1],
        check_out_minutes=check_out,
    )
    TemplatePart.objects.create(template=template, kind=Kind.PREPARATION, position=0)
    for position, kind in enumerate(order, start=1):
        title = ""
        if isinstance(kind, tuple):
            kind, title = kind
        TemplatePart.objects.create(
            template=template,
            kind=kind,
            position=position,
            title_en=title,
            prompts_en=(prompts or {}).get(kind, ""),
            prompts_id=(prompts or {}).get(f"{kind}_id", ""),
        )
    return template


def use(program, template):
    return ProgramTemplate.objects.create(
        program=program, template=template, chosen_by=program.coach
    )
