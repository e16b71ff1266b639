"""tlslite-ng as the second TLS peer of tests/ssl/tlslite.rs.

  peer.py server --cert F --key F --version 1.2|1.3 [--conns N]
                 [--require-cert] [--keyupdate]
      Listens on 127.0.0.1 (free port, printed as "PORT n"), serves N
      connections: handshake, echo one line (with --keyupdate: send a
      KeyUpdate asking for one back, then echo a second line), close.
  peer.py client --port P --version 1.2|1.3 [--cert F --key F] [--conns N]
                 [--keyupdate] [--oversize]
      Connects N times (each after the first resuming the previous session),
      sends "hello N" lines and reads the echo. With --oversize it sends one
      application-data record of 2^14 + 1 plaintext bytes instead and
      reports the alert that comes back.

Every connection prints one line "CONN key=value ..." (version, cipher,
resumed, the peer certificate's subject CN, echoed); errors print
"ALERT description" or "ERROR text". Nothing else is printed on stdout.
"""

import argparse
import os
import socket
import sys

from tlslite.api import (HandshakeSettings, SessionCache, TLSConnection,
                         X509, X509CertChain, parsePEMKey)
from tlslite.constants import AlertDescription, KeyUpdateMessageType
from tlslite.errors import TLSRemoteAlert, TLSLocalAlert

VERSIONS = {"1.2": (3, 3), "1.3": (3, 4)}
# One ticket key for the whole run, so tickets resume across connections.
TICKET_KEYS = [os.urandom(32)]


def settings_for(version):
    s = HandshakeSettings()
    s.minVersion = s.maxVersion = VERSIONS[version]
    s.ticketKeys = TICKET_KEYS
    # tlslite-ng 0.8.2 compresses a TLS 1.3 client certificate whenever its
    # own ClientHello offered compression (it looks at the wrong message),
    # even when the server's CertificateRequest did not ask for it; no
    # compression, then.
    s.certificate_compression_send = []
    return s


def load(cert_file, key_file):
    with open(cert_file) as f:
        chain = X509CertChain()
        chain.parsePemList(f.read())
    with open(key_file) as f:
        key = parsePEMKey(f.read(), private=True)
    return chain, key


def peer_cn(chain):
    if chain is None or not chain.x509List:
        return "none"
    cert = chain.x509List[0]
    subject = cert.subject  # DER of the Name
    marker = bytes([0x06, 0x03, 0x55, 0x04, 0x03])  # OID 2.5.4.3
    i = subject.find(marker)
    if i < 0:
        return "?"
    length = subject[i + 6]
    return subject[i + 7:i + 7 + length].decode().replace(" ", "_")


def read_line(conn):
    data = b""
    while not data.endswith(b"\n"):
        chunk = conn.read(max=1)
        if not chunk:
            break
        data += chunk
    return data


def report(conn, peer_chain, **extra):
    fields = {
        "version": {(3, 3): "1.2", (3, 4): "1.3"}.get(conn.version, "?"),
        "cipher": conn.getCipherName(),
        "resumed": str(bool(conn.resumed)).lower(),
        "peer": peer_cn(peer_chain),
    }
    fields.update(extra)
    print("CONN " + " ".join("%s=%s" % kv for kv in fields.items()), flush=True)


def fail(e):
    if isinstance(e, (TLSRemoteAlert, TLSLocalAlert)):
        print("ALERT " + AlertDescription.toStr(e.description), flush=True)
    else:
        print("ERROR " + repr(e).replace("\n", " "), flush=True)


def keyupdate(conn):
    for _ in conn.send_keyupdate_request(KeyUpdateMessageType.update_requested):
        pass


def server(args):
    chain, key = load(args.cert, args.key)
    cache = SessionCache()
    lsock = socket.socket()
    lsock.bind(("127.0.0.1", 0))
    lsock.listen(1)
    lsock.settimeout(30)
    print("PORT %d" % lsock.getsockname()[1], flush=True)
    for _ in range(args.conns):
        sock, _ = lsock.accept()
        sock.settimeout(30)
        conn = TLSConnection(sock)
        try:
            conn.handshakeServer(certChain=chain, privateKey=key,
                                 settings=settings_for(args.version),
                                 sessionCache=cache,
                                 reqCert=args.require_cert)
            lines = [read_line(conn)]
            conn.write(lines[0])
            if args.keyupdate:
                keyupdate(conn)
                lines.append(read_line(conn))
                conn.write(lines[1])
            report(conn, conn.session.clientCertChain,
                   echoed=b"|".join(l.strip() for l in lines).decode().replace(" ", "_"))
            conn.close()
        except Exception as e:  # noqa: BLE001 - reported to the test
            fail(e)
        finally:
            sock.close()


def client(args):
    chain = key = None
    if args.cert:
        chain, key = load(args.cert, args.key)
    session = None
    for n in range(args.conns):
        sock = socket.create_connection(("127.0.0.1", args.port), timeout=30)
        conn = TLSConnection(sock)
        try:
            conn.handshakeClientCert(chain, key, session=session,
                                     settings=settings_for(args.version),
                                     serverName="localhost")
            if args.oversize:
                conn.recordSize = 2 ** 14 + 1
                conn._send_record_limit = 2 ** 14 + 1
                conn.write(b"x" * (2 ** 14 + 1))
                got = conn.read()
                print("ERROR oversized record answered with %d bytes" % len(got), flush=True)
                return
            echoed = []
            for i in range(2 if args.keyupdate else 1):
                if i == 1:
                    keyupdate(conn)
                line = b"hello %d.%d\n" % (n, i)
                conn.write(line)
                echoed.append(read_line(conn).strip())
            report(conn, conn.session.serverCertChain,
                   echoed=b"|".join(echoed).decode().replace(" ", "_"))
            # Session tickets (TLS 1.3) arrive after the handshake: they
            # have been read with the echo.
            session = conn.session
            conn.close()
        except Exception as e:  # noqa: BLE001 - reported to the test
            fail(e)
        finally:
            sock.close()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["server", "client"])
    p.add_argument("--port", type=int)
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--version", choices=sorted(VERSIONS), required=True)
    p.add_argument("--conns", type=int, default=1)
    p.add_argument("--require-cert", action="store_true")
    p.add_argument("--keyupdate", action="store_true")
    p.add_argument("--oversize", action="store_true")
    args = p.parse_args()
    if args.mode == "server":
        server(args)
    else:
        client(args)


if __name__ == "__main__":
    sys.exit(main())
