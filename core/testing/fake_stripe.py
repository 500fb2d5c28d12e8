"""A local fake of the few Stripe API endpoints WANS and dj-stripe call, on a threaded http.server. Requests are
form-encoded as the stripe library sends them; answers are Stripe-shaped JSON objects; unknown ids get Stripe's 404
error body. Every request is recorded (method, path, parsed form or query, Idempotency-Key) for the tests to assert.

Connect (payouts): Express accounts (`POST /v1/accounts`, `GET /v1/accounts/<id>`), onboarding links
(`POST /v1/account_links`) and transfers (`POST /v1/transfers`, from `balance`, refused as Stripe refuses a
destination without the transfers capability or a balance too small). Those POSTs replay their first answer for a
repeated Idempotency-Key, as Stripe does."""

import hashlib
import hmac
import itertools
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

_ids = itertools.count(1000)

PREFIXES = {
    "customers": "cus", "checkout/sessions": "cs_test", "coupons": "co", "refunds": "re", "subscriptions": "sub",
    "payment_intents": "pi", "charges": "ch", "invoices": "in", "prices": "price", "products": "prod",
    "accounts": "acct", "transfers": "tr",
}
IDEMPOTENT_REPLAY = {"accounts", "transfers"}


def new_id(prefix: str) -> str:
    return f"{prefix}_{next(_ids):06d}WANS"


def form_to_nested(form: dict[str, list[str]]) -> dict:
    """Stripe's form encoding (a[b][0][c]=v) back to nested dicts and lists."""
    out: dict = {}
    for key, values in form.items():
        parts = key.replace("]", "").split("[")
        node = out
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            if last:
                node[part] = values[0] if len(values) == 1 else values
            else:
                node = node.setdefault(part, {})
    return _lists(out)


def _lists(node):
    if isinstance(node, dict):
        if node and all(k.isdigit() for k in node):
            return [_lists(node[k]) for k in sorted(node, key=int)]
        return {k: _lists(v) for k, v in node.items()}
    return node


class FakeStripe:
    def __init__(self):
        self.objects: dict[str, dict] = {}
        self.requests: list[dict] = []
        self.lists: dict[str, list] = {}
        self.lock = threading.Lock()
        self.balance: dict[str, int] = {"usd": 10**9, "aud": 10**9, "nzd": 10**9, "eur": 10**9, "gbp": 10**9}
        self.replays: dict[str, tuple[int, dict]] = {}
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, status: int, body: dict):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Request-Id", "req_fake")
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                self._handle("GET")

            def do_POST(self):
                self._handle("POST")

            def do_DELETE(self):
                self._handle("DELETE")

            def _handle(self, method):
                url = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode() if length else ""
                params = form_to_nested(parse_qs(raw or url.query, keep_blank_values=True))
                key = self.headers.get("Idempotency-Key", "")
                with fake.lock:
                    fake.requests.append({"method": method, "path": url.path, "params": params,
                                          "auth": self.headers.get("Authorization", ""), "idempotency_key": key})
                    kind = url.path.strip("/").split("/")[1:2]
                    replayable = method == "POST" and key and kind and kind[0] in IDEMPOTENT_REPLAY
                    if replayable and key in fake.replays:
                        status, body = fake.replays[key]
                    else:
                        status, body = fake.route(method, url.path, params)
                        if replayable:
                            fake.replays[key] = (status, body)
                self._answer(status, body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    # --- objects ---------------------------------------------------------------------------------------------
    def put(self, obj: dict) -> dict:
        base = {"livemode": False, "created": int(time.time()), "metadata": {}}
        obj = {**base, **obj}
        self.objects[obj["id"]] = obj
        return obj

    def calls(self, method: str, path_prefix: str) -> list[dict]:
        return [r for r in self.requests if r["method"] == method and r["path"].startswith(path_prefix)]

    @staticmethod
    def _missing(kind: str, obj_id: str):
        return 404, {"error": {"type": "invalid_request_error", "code": "resource_missing",
                               "message": f"No such {kind}: '{obj_id}'", "param": "id"}}

    def route(self, method: str, path: str, params: dict):
        parts = path.strip("/").split("/")[1:]  # drop "v1"
        if parts == ["account"]:
            return 200, self.objects.setdefault("acct_fake", {
                "id": "acct_fake", "object": "account", "livemode": False, "created": 1700000000,
                "metadata": {}, "settings": {"dashboard": {"display_name": "WANS"}}, "business_profile": {},
                "charges_enabled": True, "payouts_enabled": True, "country": "AU", "default_currency": "aud",
                "type": "standard", "email": "billing@wans.example",
            })
        if parts == ["invoice_payments"]:
            invoice = params.get("invoice")
            rows = [o for o in self.objects.values() if o.get("object") == "invoice_payment" and
                    o.get("invoice") == invoice]
            return 200, {"object": "list", "data": rows, "has_more": False, "url": "/v1/invoice_payments"}
        if parts == ["checkout", "sessions"] and method == "POST":
            sid = new_id("cs_test")
            obj = self.put({
                "id": sid, "object": "checkout.session", "mode": params.get("mode"), "status": "open",
                "payment_status": "unpaid", "customer": params.get("customer"),
                "client_reference_id": params.get("client_reference_id"), "metadata": params.get("metadata", {}),
                "currency": None, "amount_total": None, "amount_subtotal": None, "payment_intent": None,
                "subscription": None, "invoice": None, "success_url": params.get("success_url"),
                "cancel_url": params.get("cancel_url"), "url": f"https://checkout.stripe.com/c/pay/{sid}",
                "expires_at": int(params.get("expires_at") or time.time() + 86400),
            })
            return 200, obj
        if parts == ["accounts"] and method == "POST":
            return 200, self.put(self.express_account(params))
        if parts == ["account_links"] and method == "POST":
            if params.get("account") not in self.objects:
                return self._missing("account", params.get("account", ""))
            now = int(time.time())
            return 200, {"object": "account_link", "created": now, "expires_at": now + 300,
                         "url": f"https://connect.stripe.com/setup/e/{params['account']}/{new_id('link')}"}
        if parts == ["transfers"] and method == "POST":
            return self.transfer(params)
        kind = "/".join(parts[:2]) if parts[:1] == ["checkout"] else parts[0]
        rest = parts[2:] if parts[:1] == ["checkout"] else parts[1:]
        if method == "POST" and not rest:
            prefix = PREFIXES.get(kind, kind[:3])
            obj = {"id": params.get("id") or new_id(prefix), "object": kind.rstrip("s"), **params}
            if kind == "customers":
                obj.update(object="customer", invoice_settings={"default_payment_method": None}, balance=0,
                           currency=None, delinquent=False, default_source=None, email=params.get("email"))
            if kind == "refunds":
                obj.update(object="refund", status="succeeded")
            if kind == "coupons":
                obj.update(object="coupon", valid=True)
            return 200, self.put(obj)
        if not rest:
            return 200, {"object": "list", "data": [o for o in self.objects.values() if
                                                     o.get("object") == kind.rstrip("s")], "has_more": False}
        if method == "GET" and len(rest) > 1:  # a sub-list (a product's features, ...): none here
            return 200, {"object": "list", "data": [], "has_more": False, "url": path}
        obj_id = rest[0]
        obj = self.objects.get(obj_id)
        if obj is None:
            return self._missing(kind.rstrip("s"), obj_id)
        if method == "POST":
            obj.update({k: v for k, v in params.items() if k != "expand"})
            for key in ("cancel_at_period_end",):
                if key in params:
                    obj[key] = params[key] == "true"
        if method == "DELETE" and kind == "subscriptions":
            obj["status"] = "canceled"
        return 200, obj


    # --- Connect -----------------------------------------------------------------------------------------------
    def express_account(self, params: dict) -> dict:
        """A new Express account as Stripe answers it: nothing enabled, the onboarding requirements due."""
        acct = new_id("acct")
        due = ["business_type", "external_account", "individual.first_name", "individual.last_name",
               "tos_acceptance.date", "tos_acceptance.ip"]
        return {
            "id": acct, "object": "account", "type": params.get("type"), "country": params.get("country"),
            "email": params.get("email"), "metadata": params.get("metadata", {}), "business_type": None,
            "business_profile": {"mcc": None, "name": None, "url": None},
            "capabilities": dict.fromkeys(params.get("capabilities") or {}, "inactive"),
            "charges_enabled": False, "payouts_enabled": False, "details_submitted": False,
            "default_currency": {"AU": "aud", "NZ": "nzd", "GB": "gbp", "US": "usd"}.get(params.get("country"), "usd"),
            "controller": {"type": "application", "is_controller": True},
            "external_accounts": {"object": "list", "data": [], "has_more": False,
                                  "url": f"/v1/accounts/{acct}/external_accounts"},
            "requirements": {"alternatives": [], "current_deadline": None, "currently_due": due,
                             "disabled_reason": "requirements.past_due", "errors": [], "eventually_due": due,
                             "past_due": due, "pending_verification": []},
            "tos_acceptance": params.get("tos_acceptance", {}), "settings": {},
        }

    def account_onboarded(self, acct: str) -> dict:
        """What Stripe holds once the payee finished onboarding and Stripe verified them."""
        account = self.objects[acct]
        account.update(charges_enabled=False, payouts_enabled=True, details_submitted=True,
                       capabilities={**account["capabilities"], "transfers": "active"})
        account["requirements"].update(currently_due=[], eventually_due=[], past_due=[], disabled_reason=None)
        return account

    @staticmethod
    def _refused(code: str, message: str, param: str = ""):
        return 400, {"error": {"type": "invalid_request_error", "code": code, "message": message, "param": param}}

    def transfer(self, params: dict):
        account = self.objects.get(params.get("destination", ""))
        if account is None:
            return self._missing("account", params.get("destination", ""))
        if (account.get("capabilities") or {}).get("transfers") != "active":
            return self._refused("insufficient_capabilities_for_transfer",
                                 "Your destination account needs to have at least one of the following capabilities "
                                 "enabled: transfers, crypto_transfers, legacy_payments", "destination")
        amount, currency = int(params["amount"]), params["currency"]
        if self.balance.get(currency, 0) < amount:
            return self._refused("balance_insufficient", "You have insufficient available funds in your Stripe "
                                 "account. Try adding funds directly to your available balance.")
        self.balance[currency] -= amount
        tid = new_id("tr")
        return 200, self.put({
            "id": tid, "object": "transfer", "amount": amount, "amount_reversed": 0, "currency": currency,
            "description": params.get("description"), "destination": account["id"],
            "destination_payment": new_id("py"), "balance_transaction": new_id("txn"),
            "metadata": params.get("metadata", {}), "reversed": False, "source_transaction": None,
            "source_type": "card", "transfer_group": params.get("transfer_group"),
            "reversals": {"object": "list", "data": [], "has_more": False, "total_count": 0,
                          "url": f"/v1/transfers/{tid}/reversals"},
        })


def stripe_signature(payload: bytes, secret: str, timestamp: int | None = None) -> str:
    """The Stripe-Signature header exactly as Stripe builds it: t=<unix>,v1=<hex HMAC-SHA256(secret, "t.payload")>."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    signed = f"{timestamp}.{payload.decode()}".encode()
    return f"t={timestamp},v1={hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()}"


def event(event_type: str, obj: dict, event_id: str | None = None) -> dict:
    return {
        "id": event_id or new_id("evt"),
        "object": "event",
        "api_version": "2026-05-27.dahlia",
        "created": int(time.time()),
        "data": {"object": obj},
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": event_type,
    }
