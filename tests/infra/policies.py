"""Lookups into the IAM policies of a synthesized stack, shared by the infra tests."""

from __future__ import annotations

from typing import Any

from constructs import IConstruct

from tests.infra.synthesized import Synthesized


def targets(node: Any) -> set[tuple[str, str]]:
    """Every (logical id, attribute) a policy fragment points at; a Ref counts as "Ref"."""
    if isinstance(node, dict):
        if "Ref" in node:
            return {(node["Ref"], "Ref")}
        if "Fn::GetAtt" in node:
            logical_id, attribute = node["Fn::GetAtt"]
            return {(logical_id, attribute)}
        return set().union(*(targets(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(targets(item) for item in node))
    return set()


def actions_of(statement: dict[str, Any]) -> set[str]:
    action = statement["Action"]
    return {action} if isinstance(action, str) else set(action)


def role_statements(synthesized: Synthesized, role: IConstruct) -> list[dict[str, Any]]:
    role_id = synthesized.logical_id(role)
    return [
        statement
        for policy in synthesized.of_type("AWS::IAM::Policy").values()
        if {"Ref": role_id} in policy["Properties"]["Roles"]
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
    ]


def function_statements(synthesized: Synthesized, function_name: str) -> list[dict[str, Any]]:
    return role_statements(synthesized, synthesized.stack.functions.roles[function_name])


def actions_on(
    statements: list[dict[str, Any]], logical_id: str, attribute: str = "Arn"
) -> set[str]:
    """The actions the statements allow on one resource attribute (its Arn by default)."""
    actions: set[str] = set()
    for statement in statements:
        if (logical_id, attribute) in targets(statement["Resource"]):
            actions |= actions_of(statement)
    return actions


def touches(statements: list[dict[str, Any]], logical_id: str) -> bool:
    return any(
        logical_id in {target for target, _ in targets(statement["Resource"])}
        for statement in statements
    )
