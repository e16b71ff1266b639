#!/usr/bin/env python3
"""pyOpenSSL 23.2 side of the differential test (tests/ssl/pyopenssl.rs).

Runs the SSL scenarios over memory BIOs with the PKI in DIR (written by the
Rust test: root.pem, inter.pem, leaf.pem, leaf.key, other.key, expired.pem,
notyet.pem, forged.pem, purpose.pem, revoked.pem, crl.pem) and prints one
JSON object: scenario name -> normalised outcome (a string, a list of
strings, or null). tests/ssl/pyopenssl.rs runs the same scenarios through
puressl and compares. Usage: scenarios.py DIR
"""
import json
import socket
import sys

from OpenSSL import SSL, crypto

DIR = sys.argv[1].rstrip("/") + "/"
VERSIONS = {"1.2": SSL.TLS1_2_VERSION, "1.3": SSL.TLS1_3_VERSION}


def pem(name):
    with open(DIR + name, "rb") as f:
        return f.read()


def cert(name):
    return crypto.load_certificate(crypto.FILETYPE_PEM, pem(name))


def key(name):
    return crypto.load_privatekey(crypto.FILETYPE_PEM, pem(name))


def outcome(f):
    """`ok`, `ok:<value>` for the values that matter, or the exception."""
    try:
        r = f()
    except SSL.WantReadError:
        return "WantRead"
    except SSL.ZeroReturnError:
        return "ZeroReturn"
    except SSL.SysCallError as e:
        return "SysCall(%d, %s)" % e.args
    except SSL.Error as e:
        return "Error(%s)" % e.args[0][0][2]
    if isinstance(r, bool):
        return "ok:%s" % r
    if isinstance(r, int):
        return "ok:%d" % r
    if isinstance(r, bytes):
        return "ok:%s" % r.decode()
    return "ok"


def context(v, leaf=None, store=(), verify=SSL.VERIFY_NONE, callback=None, extra=()):
    ctx = SSL.Context(SSL.TLS_METHOD)
    ctx.set_min_proto_version(VERSIONS[v])
    ctx.set_max_proto_version(VERSIONS[v])
    if leaf:
        ctx.use_certificate(cert(leaf))
        ctx.use_privatekey(key("leaf.key"))
    for c in extra:
        ctx.add_extra_chain_cert(cert(c))
    for c in store:
        ctx.get_cert_store().add_cert(cert(c))
    ctx.set_verify(verify, callback or (lambda conn, x509, err, depth, ok: ok))
    return ctx


def pair(cctx, sctx):
    c = SSL.Connection(cctx, None)
    c.set_connect_state()
    s = SSL.Connection(sctx, None)
    s.set_accept_state()
    return c, s


def pump(a, b):
    try:
        data = a.bio_read(1 << 20)
    except SSL.WantReadError:
        return
    b.bio_write(data)


def step_handshakes(c, s):
    """Client then server, ten rounds: each side's first outcome that is not
    WantRead."""
    first = [None, None]
    for _ in range(10):
        for i, conn in enumerate((c, s)):
            if first[i] is None:
                r = outcome(conn.do_handshake)
                if r != "WantRead":
                    first[i] = r
        pump(c, s)
        pump(s, c)
    return first


def later_calls(conn, first):
    v = [first]
    if first == "ok":
        v.append(outcome(lambda: conn.recv(8)))
    v.append(outcome(conn.do_handshake))
    v.append(outcome(lambda: conn.recv(8)))
    v.append(outcome(lambda: conn.recv(0)))
    v.append(outcome(lambda: conn.send(b"x")))
    v.append(outcome(lambda: conn.sendall(b"x")))
    v.append(outcome(conn.shutdown))
    v.append(str(conn.get_shutdown()))
    v.append(conn.get_state_string().decode())
    return v


def cns(chain):
    if chain is None:
        return None
    return [x.get_subject().CN for x in chain]


def ocsp(v, answer, verdict, request):
    """OCSP stapling (pyOpenSSL's TestOCSP): both handshakes' outcomes and
    the callbacks' calls, in order (`server`, `client:<bytes seen>`)."""
    calls = []

    def server_cb(conn, data):
        calls.append("server")
        if isinstance(answer, Exception):
            raise answer
        return answer

    def client_cb(conn, response, data):
        calls.append("client:" + response.decode())
        if isinstance(verdict, Exception):
            raise verdict
        return verdict

    sctx = context(v, leaf="leaf.pem", store=["inter.pem", "root.pem"])
    sctx.set_ocsp_server_callback(server_cb)
    cctx = context(v, store=["root.pem"], verify=SSL.VERIFY_PEER)
    cctx.set_ocsp_client_callback(client_cb)
    c, s = pair(cctx, sctx)
    if request:
        c.request_ocsp()
    return step_handshakes(c, s) + [",".join(calls)]


OCSP_CASES = {
    "staple": (b"fake ocsp", True, True),
    "empty": (b"", True, True),
    "not_requested": (b"fake ocsp", True, False),
    "client_false": (b"fake ocsp", False, True),
    "client_raises": (b"fake ocsp", SSL.Error([("SSL routines", "", "no good")]), True),
    "server_raises": (SSL.Error([("SSL routines", "", "no response")]), True, True),
}


def run():
    out = {}
    # Context settings.
    ctx = SSL.Context(SSL.TLS_METHOD)
    out["context.options_new"] = hex(ctx.set_options(0))
    out["context.options_no_ticket"] = hex(SSL.Context(SSL.TLS_METHOD).set_options(SSL.OP_NO_TICKET))
    out["context.set_timeout"] = [str(ctx.set_timeout(100)), str(ctx.set_timeout(5)), str(ctx.get_timeout())]
    ctx = SSL.Context(SSL.TLS_METHOD)
    ctx.use_privatekey(key("other.key"))
    ctx.use_certificate(cert("leaf.pem"))
    out["context.key_then_other_cert"] = [outcome(ctx.check_privatekey)]
    ctx.use_privatekey(key("leaf.key"))
    out["context.key_then_other_cert"].append(outcome(ctx.check_privatekey))
    ctx = SSL.Context(SSL.TLS_METHOD)
    ctx.use_certificate(cert("leaf.pem"))
    out["context.cert_then_other_key"] = [
        outcome(lambda: ctx.use_privatekey(key("other.key"))),
        outcome(ctx.check_privatekey),
    ]

    for v in VERSIONS:
        server = context(v, leaf="leaf.pem", store=["inter.pem", "root.pem"])
        trusting = context(v, store=["root.pem"], verify=SSL.VERIFY_PEER)
        # Failed handshakes, and every call after them.
        fails = {
            "untrusted": (context(v, verify=SSL.VERIFY_PEER), server),
            "callback_false": (
                context(v, store=["root.pem"], verify=SSL.VERIFY_PEER, callback=lambda *a: False),
                server,
            ),
            "no_client_cert": (
                trusting,
                context(v, leaf="leaf.pem", store=["inter.pem", "root.pem"],
                        verify=SSL.VERIFY_PEER | SSL.VERIFY_FAIL_IF_NO_PEER_CERT),
            ),
        }
        for kind, (cctx, sctx) in fails.items():
            c, s = pair(cctx, sctx)
            first = step_handshakes(c, s)
            out["fail.%s.%s.client" % (v, kind)] = later_calls(c, first[0])
            out["fail.%s.%s.server" % (v, kind)] = later_calls(s, first[1])

        # A good connection: chain completion, recv(0), send sizes.
        c, s = pair(trusting, server)
        out["chain.autochain.%s" % v] = step_handshakes(c, s) + cns(c.get_peer_cert_chain())
        r = [outcome(lambda: c.recv(0))]
        s.send(b"hello")
        pump(s, c)
        r.append(outcome(lambda: c.recv(0)))
        r.append(outcome(lambda: c.recv(8)))
        r.append(outcome(lambda: c.recv(0)))
        s.shutdown()
        pump(s, c)
        r.append(outcome(lambda: c.recv(0)))
        out["recv0.%s" % v] = r
        out["send_sizes.%s" % v] = [
            outcome(lambda: c.send(b"x" * 40000)),
            outcome(lambda: c.sendall(b"x" * 40000)),
        ]

        # A clean connection step by step: states, want_read, names,
        # peek and pending, the close_notify exchange.
        # (a fresh client: puressl's client contexts resume sessions, OpenSSL's do not)
        c, s = pair(context(v, store=["root.pem"], verify=SSL.VERIFY_PEER), server)
        f = [c.get_state_string().decode(), s.get_state_string().decode()]
        for _ in range(4):
            for conn in (c, s):
                f.append(outcome(conn.do_handshake))
                f.append(conn.get_state_string().decode())
                f.append(str(bool(conn.want_read())))
            pump(c, s)
            pump(s, c)
        f += [c.get_protocol_version_name(), c.get_cipher_name(), str(c.get_cipher_bits())]
        s.send(b"hello world")
        pump(s, c)
        f.append(outcome(lambda: c.recv(5, socket.MSG_PEEK)))
        f.append(str(c.pending()))
        f.append(outcome(lambda: c.recv(5)))
        f.append(str(c.pending()))
        f.append(outcome(lambda: c.recv(100)))
        f.append(str(c.pending()))
        f += [outcome(c.shutdown), str(c.get_shutdown()), outcome(c.shutdown), str(bool(c.want_read()))]
        f += [outcome(lambda: c.send(b"x")), outcome(lambda: c.sendall(b"x"))]
        pump(c, s)
        f += [outcome(lambda: s.recv(10)), str(s.get_shutdown()), outcome(s.shutdown), str(s.get_shutdown())]
        pump(s, c)
        f += [outcome(c.shutdown), str(c.get_shutdown()), outcome(lambda: c.recv(5))]
        out["flow.%s" % v] = f
        # Application data arriving after our close_notify.
        c, s = pair(context(v, store=["root.pem"], verify=SSL.VERIFY_PEER), server)
        step_handshakes(c, s)
        a = [outcome(c.shutdown)]
        pump(c, s)
        a += [outcome(lambda: s.recv(5)), outcome(lambda: s.send(b"y")), outcome(s.shutdown)]
        pump(s, c)
        a += [outcome(c.shutdown), str(c.get_shutdown()), outcome(lambda: c.recv(5))]
        out["data_after_close_notify.%s" % v] = a
        # shutdown before the handshake is done.
        c, s = pair(trusting, server)
        early = [outcome(c.shutdown), str(c.get_shutdown())]
        c, s = pair(trusting, server)
        outcome(c.do_handshake)
        early += [outcome(c.shutdown), str(c.get_shutdown())]
        out["early_shutdown.%s" % v] = early

        # What the server's peer_cert_chain holds.
        requesting = context(v, leaf="leaf.pem", store=["inter.pem", "root.pem"], verify=SSL.VERIFY_PEER)
        sides = {
            "not_requested": (context(v, leaf="leaf.pem"), server),
            "no_cert": (context(v), requesting),
            "leaf_only": (context(v, leaf="leaf.pem"), requesting),
            "extra_inter": (context(v, leaf="leaf.pem", extra=["inter.pem"]), requesting),
            "auto_chain": (context(v, leaf="leaf.pem", store=["inter.pem", "root.pem"]), requesting),
        }
        for kind, (cctx, sctx) in sides.items():
            c, s = pair(cctx, sctx)
            out["server_chain.%s.%s" % (v, kind)] = [step_handshakes(c, s), cns(s.get_peer_cert_chain())]

        # The alert a failed verification sends.
        crl_checking = context(v, store=["root.pem"], verify=SSL.VERIFY_PEER)
        store = crl_checking.get_cert_store()
        store.add_crl(crypto.load_crl(crypto.FILETYPE_PEM, pem("crl.pem")))
        store.set_flags(crypto.X509StoreFlags.CRL_CHECK)
        alerts = {
            "expired": (trusting, "expired.pem"),
            "not_yet_valid": (trusting, "notyet.pem"),
            "untrusted": (context(v, verify=SSL.VERIFY_PEER), "leaf.pem"),
            "revoked": (crl_checking, "revoked.pem"),
            "bad_signature": (trusting, "forged.pem"),
            "wrong_purpose": (trusting, "purpose.pem"),
            "callback_false": (fails["callback_false"][0], "leaf.pem"),
        }
        for kind, (cctx, leaf) in alerts.items():
            c, s = pair(cctx, context(v, leaf=leaf, store=["inter.pem", "root.pem"]))
            out["alert.%s.%s" % (v, kind)] = step_handshakes(c, s)

        for kind, (answer, verdict, request) in OCSP_CASES.items():
            out["ocsp.%s.%s" % (v, kind)] = ocsp(v, answer, verdict, request)
    return out


if __name__ == "__main__":
    print(json.dumps(run(), indent=1, sort_keys=True))
