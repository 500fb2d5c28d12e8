"""A local fake of the few Stripe API endpoints WANS and dj-stripe call, on a threaded http.server. Requests are
form-encoded as the stripe library sends them; answers are Stripe-shaped JSON objects; unknown ids get Stripe's 404
error body. Every request is recorded (method, path, parsed form or query) for the tests to assert."""

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
}


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
                with fake.lock:
                    fake.requests.append({"method": method, "path": url.path, "params": params,
                                          "auth": self.headers.get("Authorization", "")})
                    status, body = fake.route(method, url.path, params)
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
