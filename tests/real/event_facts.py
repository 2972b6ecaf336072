"""Ground truth for event catalogues between the OpenAI spec versions of ../shared/corpus/openai/
(pairs in manifest order, as in facts.PAIRS): which catalogues (unions of WebSocket events no
operation references: Realtime, Realtime translation, Responses WebSocket mode, and the beta
variants) appeared or went away, and which event types each gained or lost.

Computed by reading the two YAML files, not by apicompat: for every component whose name ends in
`ServerEvent` / `ClientEvent`, the `type` const/enum of each `anyOf`/`oneOf` member, following
`$ref`s and `allOf` members (test_events_corpus.py holds that reader, ~30 lines, and checks these
facts against the YAML before checking apicompat against them).
"""

from __future__ import annotations

SERVER, CLIENT = "server", "client"

# Pair -> {"catalogues_added": {name: (side, number of event types)}, "catalogues_removed": {...},
#          "types_added": {name: [event types]}, "types_removed": {name: [event types]}}
EVENT_FACTS: dict[str, dict] = {
    # 2022-01-19 -> 2022-01-25: no catalogue in either document.
    "S-OAI-1": {"catalogues_added": {}, "catalogues_removed": {}, "types_added": {}, "types_removed": {}},
    # 2022-01-25 -> 2023-06-19 (1620cd2): none in either.
    "S-OAI-2": {"catalogues_added": {}, "catalogues_removed": {}, "types_added": {}, "types_removed": {}},
    # 1620cd2 -> 0c432eb (same day): none in either.
    "S-OAI-3": {"catalogues_added": {}, "catalogues_removed": {}, "types_added": {}, "types_removed": {}},
    # 0c432eb (2023-06-19) -> 2329a66 (2026-08-14): all eight catalogues are new.
    "S-OAI-4": {
        "catalogues_added": {
            "RealtimeClientEvent": (CLIENT, 11),
            "RealtimeServerEvent": (SERVER, 46),
            "RealtimeTranslationClientEvent": (CLIENT, 3),
            "RealtimeTranslationServerEvent": (SERVER, 7),
            "ResponsesClientEvent": (CLIENT, 1),
            "ResponsesServerEvent": (SERVER, 53),
            "BetaResponsesClientEvent": (CLIENT, 2),
            "BetaResponsesServerEvent": (SERVER, 55),
        },
        "catalogues_removed": {}, "types_added": {}, "types_removed": {},
    },
    # 2329a66 -> 9b457ac (a day later): the Responses WebSocket mode (and its beta) gained the five
    # shell-call streaming events; the Realtime catalogues did not change; nothing was removed.
    "S-OAI-5": {
        "catalogues_added": {}, "catalogues_removed": {},
        "types_added": {
            name: ["response.shell_call_command.added", "response.shell_call_command.delta",
                   "response.shell_call_command.done", "response.shell_call_output_content.delta",
                   "response.shell_call_output_content.done"]
            for name in ("ResponsesServerEvent", "BetaResponsesServerEvent")
        },
        "types_removed": {},
    },
}
