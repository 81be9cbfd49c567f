"""Named entities, each resolved to an actor of the knowledge base where one matches."""

from __future__ import annotations

from sitrep.extract.context import ArticleContext
from sitrep.extract.spans import resolve_mention, token_span
from sitrep.model import Entity


def extract_entities(ctx: ArticleContext) -> list[Entity]:
    labels = set(ctx.settings.entity_labels)
    actors = ctx.knowledge.actors
    out: list[Entity] = []
    for ent in ctx.ents:
        label = ent.label_
        if label not in labels:
            continue
        # Leading "the" and a trailing possessive are not part of the name.
        while len(ent) > 1 and ent[0].lower_ == "the":
            ent = ent[1:]
        if len(ent) > 1 and ent[-1].tag_ == "POS":
            ent = ent[:-1]
        match = resolve_mention(actors, ent.text, label, ctx.anchor)
        out.append(
            Entity(
                span=token_span(ent),
                name=match.name if match else ent.text,
                actor_id=match.actor_id if match else None,
                country=match.country if match else None,
                sector=match.sector if match else None,
                label=label,
            )
        )
    return out
