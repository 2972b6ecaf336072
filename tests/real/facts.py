"""Ground truth for the real corpus (../shared/corpus): changes verified by hand in the YAML.

Every entry below was checked by reading the two documents at the pointer (yaml_rs, both sides),
not copied from the manifest. Pointers are RFC 6901 (`~1` for `/`). For a change to something
that exists in both documents the pointer is the old document's; for an added thing it is the new
document's (tests match `pointer` or `new_pointer`).

FACTS: changes that must be reported (rule id, pointer, severity).
TRAPS: places where some rule ids must NOT be reported at severity breaking or warning.
An entry with `differ_bug` is known to fail today because of the differ; the test marks it
`xfail(strict=True)` with that reason, so fixing the differ turns it into an XPASS failure and the
key must then be removed.
"""

from __future__ import annotations

OPENAI = "openai"
STRIPE = "stripe"

# Consecutive pairs, in manifest `order` (not file-name order: 0c432eb is later than 1620cd2).
PAIRS: dict[str, tuple[str, str, str]] = {
    "S-OAI-1": (OPENAI, "2022-01-19_66e329a.yaml", "2022-01-25_69dcc8d.yaml"),
    "S-OAI-2": (OPENAI, "2022-01-25_69dcc8d.yaml", "2023-06-19_1620cd2.yaml"),
    "S-OAI-3": (OPENAI, "2023-06-19_1620cd2.yaml", "2023-06-19_0c432eb.yaml"),
    "S-OAI-4": (OPENAI, "2023-06-19_0c432eb.yaml", "2026-08-14_2329a66.yaml"),
    "S-OAI-5": (OPENAI, "2026-08-14_2329a66.yaml", "2026-08-15_9b457ac.yaml"),
    "S-STRIPE-1": (STRIPE, "2023-03-01_c7d0b13.yaml", "2023-09-12_63a6746.yaml"),
}

# Pairs whose every change is allowed by the policy: zero breaking.
ADDITIVE_ONLY_PAIRS = ("S-OAI-1", "S-OAI-5")

_S = "#/components/schemas/"
_STRIPE_FORM = "/requestBody/content/application~1x-www-form-urlencoded/schema/properties/"


def _fact(pair, kind, rule, pointer, severity, note, **extra):
    corpus, old, new = PAIRS[pair]
    out = dict(pair=pair, corpus=corpus, from_file=old, to_file=new, kind=kind, rule=rule,
               pointer=pointer, severity=severity, note=note)
    out.update(extra)
    return out


FACTS: list[dict] = [
    # ------------------------------------------------------------------ breaking
    _fact("S-OAI-2", "breaking", "endpoint-removed", "#/paths/~1engines~1{engine_id}~1completions/post",
          "breaking", "path present (not deprecated) in 69dcc8d, absent in 1620cd2"),
    _fact("S-OAI-2", "breaking", "endpoint-removed", "#/paths/~1engines~1{engine_id}~1embeddings/post",
          "breaking", "path present in 69dcc8d, absent in 1620cd2 (replaced by POST /embeddings)"),
    _fact("S-OAI-2", "breaking", "request-property-became-required",
          _S + "CreateCompletionRequest/properties/prompt", "breaking",
          "CreateCompletionRequest had no `required`; 1620cd2 has required [model, prompt]"),
    _fact("S-OAI-2", "breaking", "request-property-became-required",
          _S + "CreateSearchRequest/properties/query", "breaking",
          "no `required` before; required [query] after; POST /engines/{engine_id}/search still exists"),
    _fact("S-OAI-2", "breaking", "request-property-became-required",
          _S + "CreateAnswerRequest/properties/question", "breaking",
          "required [model, question, examples, examples_context] added; POST /answers still exists"),
    _fact("S-OAI-2", "breaking", "request-property-became-required",
          _S + "CreateFineTuneRequest/properties/training_file", "breaking",
          "no `required` before; required [training_file] after (POST /fine-tunes)"),
    _fact("S-OAI-2", "breaking", "response-became-nullable", _S + "Engine/properties/created",
          "breaking", "{type: integer} -> {type: integer, nullable: true}; GET /engines response"),
    _fact("S-OAI-3", "breaking", "endpoint-deprecated-removed", "#/paths/~1answers/post", "breaking",
          "deprecated: true in 1620cd2, path gone in 0c432eb"),
    _fact("S-OAI-3", "breaking", "endpoint-deprecated-removed", "#/paths/~1engines/get", "breaking",
          "deprecated: true in 1620cd2, path gone in 0c432eb"),
    _fact("S-OAI-4", "breaking", "endpoint-removed", "#/paths/~1edits/post", "breaking",
          "POST /edits in 0c432eb, absent in 2329a66"),
    _fact("S-OAI-4", "breaking", "endpoint-removed", "#/paths/~1fine-tunes/post", "breaking",
          "legacy fine-tunes API gone (fine_tuning/jobs is a different path)"),
    _fact("S-OAI-4", "breaking", "response-type-changed", _S + "OpenAIFile/properties/status_details",
          "breaking", "{type: object, nullable: true} -> {type: string, deprecated: true}"),
    _fact("S-OAI-4", "breaking", "response-property-became-optional", _S + "ImagesResponse/properties/data",
          "breaking", "required [created, data] -> required [created]"),
    _fact("S-OAI-4", "breaking", "request-became-enum", _S + "CreateFileRequest/properties/purpose",
          "breaking", "{type: string} -> enum [assistants, batch, fine-tune, vision, user_data, evals]"),
    _fact("S-OAI-4", "breaking", "request-became-enum", _S + "CreateTranslationRequest/properties/response_format",
          "breaking", "{type: string, default: json} -> enum [json, text, srt, verbose_json, vtt]"),
    _fact("S-OAI-4", "breaking", "request-max-items-set", _S + "CreateChatCompletionRequest/properties/functions",
          "breaking", "functions: minItems 1 -> minItems 1, maxItems 128 (now under allOf/1)"),
    _fact("S-OAI-4", "breaking", "request-type-narrowed",
          _S + "CreateCompletionRequest/properties/logit_bias/additionalProperties", "breaking",
          "logit_bias map had no additionalProperties (any value); now additionalProperties {type: integer}"),
    _fact("S-OAI-4", "breaking", "request-max-items-set", _S + "CreateEmbeddingRequest/properties/input/oneOf/1",
          "breaking", "string[] member: no bounds -> minItems 1, maxItems 2048 ([] and 2049 strings now rejected)"),
    _fact("S-OAI-4", "breaking", "request-property-became-required",
          _S + "ChatCompletionRequestMessage/properties/content", "breaking",
          "old message object required only role; new user/system/function messages require content"),
    _fact("S-STRIPE-1", "breaking", "response-property-became-optional",
          _S + "checkout.session/properties/success_url", "breaking",
          "success_url in checkout.session.required before, not after"),
    _fact("S-STRIPE-1", "breaking", "response-became-nullable", _S + "checkout.session/properties/success_url",
          "breaking", "{maxLength 5000, type string} -> + nullable: true"),
    _fact("S-STRIPE-1", "breaking", "response-property-became-optional",
          _S + "identity.verification_report/properties/type", "breaking",
          "required [created, id, livemode, object, options, type] -> [created, id, livemode, object]"),
    _fact("S-STRIPE-1", "breaking", "response-property-removed",
          _S + "mandate_payment_method_details/properties/blik", "breaking",
          "blik property gone from mandate_payment_method_details"),
    _fact("S-STRIPE-1", "breaking", "response-property-removed", _S + "payment_method_link/properties/persistent_token",
          "breaking", "persistent_token gone from payment_method_link"),
    _fact("S-STRIPE-1", "breaking", "request-enum-value-removed",
          "#/paths/~1v1~1webhook_endpoints/post" + _STRIPE_FORM + "enabled_events/items", "breaking",
          "enabled_events item enum 222 values incl. 'invoiceitem.updated' -> 223 values without it"),
    _fact("S-STRIPE-1", "breaking", "response-union-member-added", _S + "balance_transaction/properties/source/anyOf/4",
          "breaking", "source anyOf gains $ref customer_cash_balance_transaction (inserted at index 4)"),
    # ------------------------------------------------------------------ warning (not counted above)
    _fact("S-OAI-4", "warning", "request-default-changed", _S + "CreateImageRequest/properties/size", "warning",
          "default 1024x1024 -> auto"),
    _fact("S-OAI-4", "warning", "request-default-removed", _S + "CreateImageEditRequest/properties/response_format",
          "warning", "default: url dropped (enum and nullable unchanged)"),
    _fact("S-STRIPE-1", "warning", "request-property-removed",
          "#/paths/~1v1~1setup_intents/post" + _STRIPE_FORM + "payment_method_options/properties/blik", "warning",
          "request payment_method_options.blik gone (request side: warning per POLICY)"),
    # ------------------------------------------------------------------ additive
    _fact("S-OAI-1", "additive", "endpoint-added", "#/paths/~1completions/post", "additive",
          "new path /completions (operationId createCompletionFromModel)"),
    _fact("S-OAI-2", "additive", "endpoint-added", "#/paths/~1chat~1completions/post", "additive",
          "new path in 1620cd2"),
    _fact("S-OAI-2", "additive", "endpoint-added", "#/paths/~1models~1{model}/delete", "additive",
          "new operation DELETE /models/{model}"),
    _fact("S-OAI-2", "additive", "request-property-added-optional", _S + "CreateCompletionRequest/properties/suffix",
          "additive", "new property suffix, not in required"),
    _fact("S-OAI-2", "additive", "request-property-added-optional", _S + "CreateSearchRequest/properties/user",
          "additive", "new optional user"),
    _fact("S-OAI-2", "additive", "response-property-added-optional", _S + "CreateCompletionResponse/properties/usage",
          "additive", "new response property usage"),
    _fact("S-OAI-4", "additive", "webhook-added", "#/webhooks/batch_completed/post", "additive",
          "top-level webhooks appear in 2329a66"),
    _fact("S-OAI-4", "additive", "response-event-stream-added",
          "#/paths/~1chat~1completions/post/responses/200/content/text~1event-stream", "additive",
          "200 gains text/event-stream (CreateChatCompletionStreamResponse)"),
    _fact("S-OAI-4", "additive", "request-property-added-optional",
          _S + "CreateChatCompletionRequest/allOf/1/properties/tools", "additive", "new optional tools"),
    _fact("S-OAI-4", "additive", "response-property-added-optional",
          _S + "ChatCompletionResponseMessage/properties/tool_calls", "additive", "new response property tool_calls"),
    _fact("S-OAI-4", "additive", "request-became-nullable", _S + "CreateChatCompletionRequest/properties/max_tokens",
          "additive", "{type: integer} -> {type: integer, nullable: true} (request widening)"),
    _fact("S-OAI-4", "additive", "new-optional-request-parameter", "#/paths/~1files/get/parameters/1", "additive",
          "GET /files had no parameters; gains optional query `limit`"),
    _fact("S-OAI-4", "additive", "request-union-member-added", _S + "CreateImageEditRequest/properties/image/anyOf/1",
          "additive", "{type: string, format: binary} -> anyOf [binary string, array of <=16 binary strings]: "
          "the array member is new, the string member is the old schema"),
    *[
        _fact("S-OAI-5", "additive", "response-event-type-added", _S + f"ResponseStreamEvent/anyOf/{i}", "additive",
              f"new member $ref {name} (type const {etype}) inserted at anyOf/{i}")
        for i, name, etype in (
            (19, "ResponseShellCallCommandAddedStreamingEvent", "response.shell_call_command.added"),
            (20, "ResponseShellCallCommandDeltaStreamingEvent", "response.shell_call_command.delta"),
            (21, "ResponseShellCallCommandDoneStreamingEvent", "response.shell_call_command.done"),
            (22, "ResponseShellCallOutputContentDeltaStreamingEvent", "response.shell_call_output_content.delta"),
            (23, "ResponseShellCallOutputContentDoneStreamingEvent", "response.shell_call_output_content.done"),
        )
    ],
    _fact("S-OAI-5", "additive", "response-event-type-added", _S + "BetaResponseStreamEvent/anyOf/19", "additive",
          "Beta twin (POST /responses?beta=true) gains the shell_call_command.added event"),
    _fact("S-STRIPE-1", "additive", "endpoint-added", "#/paths/~1v1~1account_sessions/post", "additive",
          "new path"),
    _fact("S-STRIPE-1", "additive", "endpoint-added", "#/paths/~1v1~1tax~1calculations/post", "additive",
          "new path"),
    _fact("S-STRIPE-1", "additive", "new-optional-request-parameter", "#/paths/~1v1~1subscriptions/get/parameters/0",
          "additive", "new optional query parameter automatic_tax (first in the new list)"),
    _fact("S-STRIPE-1", "additive", "request-property-became-optional",
          "#/paths/~1v1~1issuing~1cardholders/post" + _STRIPE_FORM + "type", "additive",
          "request required [billing, name, type] -> [billing, name]"),
    _fact("S-STRIPE-1", "additive", "response-property-added-optional", _S + "payment_method/properties/paypal",
          "additive", "new response property paypal"),
]


def _trap(pair, pointer, forbidden, note, prefix=False, **extra):
    corpus, old, new = PAIRS[pair]
    out = dict(pair=pair, corpus=corpus, from_file=old, to_file=new, pointer=pointer, prefix=prefix,
               forbidden=tuple(forbidden), note=note)
    out.update(extra)
    return out


_NULLABLE_RESPONSE = ("response-became-nullable", "response-type-changed", "response-type-widened",
                      "response-union-member-added", "response-format-changed")
_REQ_NARROWING = ("request-enum-value-removed", "request-became-enum", "request-type-changed",
                  "request-type-narrowed", "request-became-not-nullable")

TRAPS: list[dict] = [
    _trap("S-OAI-4", _S + "Error/properties/code", _NULLABLE_RESPONSE,
          "{type: string, nullable: true} -> anyOf [{type: string}, {type: 'null'}]: same values"),
    _trap("S-OAI-4", _S + "ChatCompletionResponseMessage/properties/content", _NULLABLE_RESPONSE,
          "{type: string, nullable: true} -> anyOf [string, null]: same values"),
    _trap("S-OAI-4", _S + "CreateChatCompletionRequest", (
        "request-property-removed", "request-property-became-required", "request-type-changed",
        "request-became-not-nullable"), prefix=True,
        note="properties moved into allOf [$ref CreateModelResponseProperties, {...}]; no old property is "
             "gone or newly required once allOf is merged (messages/model were already required)"),
    _trap("S-OAI-4", _S + "CreateImageRequest/properties/size",
          ("request-enum-value-removed", "request-became-enum", "request-type-changed", "request-type-narrowed"),
          "enum [256x256, 512x512, 1024x1024] -> anyOf [string, enum incl. all old values]: widening"),
    _trap("S-OAI-4", _S + "CreateImageRequest/properties/size", ("request-became-not-nullable", "request-default-removed"),
          "nullable: true and a default (auto) are still on the property itself"),
    _trap("S-OAI-4", _S + "CreateImageEditRequest/properties/size",
          ("request-enum-value-removed", "request-became-enum", "request-type-changed", "request-type-narrowed"),
          "enum of 3 sizes -> anyOf [string, enum incl. them]: widening"),
    _trap("S-OAI-4", _S + "CreateImageEditRequest/properties/size", ("request-became-not-nullable", "request-default-removed"),
          "nullable: true and default 1024x1024 unchanged on the property"),
    _trap("S-OAI-4", _S + "CreateImageEditRequest/properties/image", ("request-type-changed", "request-type-narrowed"),
          "binary string -> anyOf [binary string, array]: widening"),
    _trap("S-OAI-4", _S + "ChatCompletionRequestMessage/properties/role", ("request-enum-value-removed",),
          "role enum [system, user, assistant, function] -> oneOf per-role messages with discriminator role: "
          "every old role value is still accepted by its own variant"),
    _trap("S-OAI-4", _S + "ChatCompletionRequestMessage/properties/function_call", ("request-property-removed",),
          "function_call is still accepted on the assistant variant"),
    _trap("S-OAI-4", _S + "CreateChatCompletionRequest/properties/stop/oneOf/0", ("request-default-added",),
          "a default inside a oneOf member is not the property's default (null, unchanged)"),
    _trap("S-OAI-5", _S + "ResponseStreamEvent", ("response-union-member-added", "response-union-member-removed",
                                                   "response-event-type-removed"), prefix=True,
          note="5 event types inserted mid-list shift ~30 indices; positional matching would invent changes"),
    _trap("S-OAI-2", _S + "CreateFineTuneRequest/properties/model", ("request-type-changed", "request-became-enum",
                                                                     "request-enum-value-removed"),
          "string -> oneOf [string, enum]: request widening"),
    _trap("S-OAI-2", _S + "CreateFineTuneRequest/properties/model", ("request-became-not-nullable", "request-default-removed"),
          "nullable: true and default curie are kept on the property in 1620cd2"),
    _trap("S-OAI-2", _S + "CreateAnswerRequest/properties/stop", ("request-became-not-nullable",), prefix=True,
          note="nullable: true stays on the property; only the member's own nullable: true was dropped"),
    _trap("S-STRIPE-1", _S + "line_item/properties/invoice_item", ("response-union-member-added",),
          "string -> anyOf [string, $ref invoiceitem] and invoice_item newly in x-expandableFields: the object "
          "is only sent when the client asks with expand[], which no old client does"),
    _trap("S-STRIPE-1", _S + "line_item/properties/subscription_item", ("response-union-member-added",),
          "newly expandable field (x-expandableFields), same as invoice_item"),
    _trap("S-STRIPE-1", "#/paths/~1v1~1payment_intents/post" + _STRIPE_FORM + "mandate_data",
          ("request-property-removed", "request-type-changed", "request-type-narrowed"), prefix=True,
          note="object wrapped into anyOf [object, enum ['']]: customer_acceptance still accepted"),
    _trap("S-STRIPE-1", "#/paths/~1v1~1accounts/post" + _STRIPE_FORM +
          "settings/properties/card_issuing/properties/tos_acceptance/properties/user_agent", _REQ_NARROWING,
          "string -> anyOf [string, enum ['']]: request widening"),
    _trap("S-STRIPE-1", _S + "invoice/properties/status", ("response-enum-value-removed", "response-type-changed"),
          "response enum loses 'deleted': narrowing is allowed"),
]

# Added things whose old_pointer must not name a DIFFERENT element of the old document.
ADDED_POINTER_CHECKS: list[dict] = [
    dict(pair="S-OAI-5", rule="response-event-type-added", pointer=_S + "ResponseStreamEvent/anyOf/19",
         note="old anyOf/19 is ResponseInProgressEvent, not the added shell event"),
    dict(pair="S-STRIPE-1", rule="new-optional-request-parameter", pointer="#/paths/~1v1~1subscriptions/get/parameters/0",
         note="old parameters/0 is collection_method, not automatic_tax"),
]
