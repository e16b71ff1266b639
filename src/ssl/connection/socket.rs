//! The socket calls pyOpenSSL forwards to the underlying socket: `bind`,
//! `listen`, `accept`, `connect`, `connect_ex` on a [`socket2::Socket`];
//! `fileno`, `getpeername`, `getsockname`, `getsockopt`, `setsockopt`,
//! `setblocking`, `sock_shutdown` on any socket-backed stream.
//!
//! Socket failures are [`Error::SysCall`] with the OS errno, as pyOpenSSL's
//! socket errors carry it; a call that would block is `WantRead`.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, ToSocketAddrs};
use std::os::fd::{AsFd, AsRawFd, RawFd};
use std::sync::Arc;

use socket2::{SockAddr, SockRef, Socket};

use super::Connection;
use crate::ssl::Error;

/// An OS error as pyOpenSSL's socket errors report it.
fn sys(e: io::Error) -> Error {
    Error::from_io(e, Error::WantRead)
}

fn inet(addr: &SockAddr) -> Result<SocketAddr, Error> {
    addr.as_socket().ok_or_else(|| Error::SysCall {
        errno: libc::EAFNOSUPPORT,
        message: "the socket address is not an IPv4/IPv6 address".to_string(),
    })
}

/// Resolves `addr` (`"127.0.0.1:443"`, `("localhost", 443)`, a `SocketAddr`, …).
fn resolve(addr: impl ToSocketAddrs) -> Result<Vec<SocketAddr>, Error> {
    let addrs: Vec<SocketAddr> = addr.to_socket_addrs().map_err(sys)?.collect();
    if addrs.is_empty() {
        return Err(Error::SysCall {
            errno: libc::EADDRNOTAVAIL,
            message: "the address resolved to nothing".to_string(),
        });
    }
    Ok(addrs)
}

/// The socket options [`Connection::getsockopt`]/[`Connection::setsockopt`] know.
#[derive(Debug, Clone, Copy)]
enum Opt {
    ReuseAddr,
    KeepAlive,
    Broadcast,
    RcvBuf,
    SndBuf,
    Type,
    Error,
    NoDelay,
    Ttl,
    V6Only,
}

fn opt(level: i32, name: i32) -> Result<Opt, Error> {
    Ok(match (level, name) {
        (libc::SOL_SOCKET, libc::SO_REUSEADDR) => Opt::ReuseAddr,
        (libc::SOL_SOCKET, libc::SO_KEEPALIVE) => Opt::KeepAlive,
        (libc::SOL_SOCKET, libc::SO_BROADCAST) => Opt::Broadcast,
        (libc::SOL_SOCKET, libc::SO_RCVBUF) => Opt::RcvBuf,
        (libc::SOL_SOCKET, libc::SO_SNDBUF) => Opt::SndBuf,
        (libc::SOL_SOCKET, libc::SO_TYPE) => Opt::Type,
        (libc::SOL_SOCKET, libc::SO_ERROR) => Opt::Error,
        (libc::IPPROTO_TCP, libc::TCP_NODELAY) => Opt::NoDelay,
        (libc::IPPROTO_IP, libc::IP_TTL) => Opt::Ttl,
        (libc::IPPROTO_IPV6, libc::IPV6_V6ONLY) => Opt::V6Only,
        _ => {
            return Err(Error::SysCall {
                errno: libc::ENOPROTOOPT,
                message: format!(
                    "socket option (level {level}, name {name}) is not supported: use \
                     SO_REUSEADDR, SO_KEEPALIVE, SO_BROADCAST, SO_RCVBUF, SO_SNDBUF, SO_TYPE, \
                     SO_ERROR, TCP_NODELAY, IP_TTL or IPV6_V6ONLY, or the socket itself \
                     (get_ref)"
                ),
            })
        }
    })
}

#[cfg_attr(docsrs, doc(cfg(unix)))]
impl Connection<Socket> {
    /// Binds the socket to the first of `addr`'s addresses that works.
    /// pyOpenSSL `bind`.
    pub fn bind(&self, addr: impl ToSocketAddrs) -> Result<(), Error> {
        let mut last = None;
        for a in resolve(addr)? {
            match self.stream.bind(&a.into()) {
                Ok(()) => return Ok(()),
                Err(e) => last = Some(e),
            }
        }
        Err(last.map(sys).unwrap_or_else(Error::unexpected_eof))
    }

    /// Listens for connections, queueing up to `backlog`. pyOpenSSL `listen`.
    pub fn listen(&self, backlog: i32) -> Result<(), Error> {
        self.stream.listen(backlog).map_err(sys)
    }

    /// Accepts a connection: a new `Connection` on the same context, in
    /// accept state, and the peer's address. `WantRead` when the socket is
    /// non-blocking and nobody is waiting. The accepted socket is blocking,
    /// whatever the listening one is, as Python's `socket.accept` makes it.
    /// pyOpenSSL `accept`.
    ///
    /// Fails before accepting when the context cannot act as a server (no
    /// certificate or key), so no client is left hanging.
    pub fn accept(&self) -> Result<(Connection<Socket>, SocketAddr), Error> {
        if let Err(e) = self.context.server_config() {
            return Err(Error::ssl(format!(
                "accept: the context cannot act as a server: {e}"
            )));
        }
        let (sock, addr) = self.stream.accept().map_err(sys)?;
        sock.set_nonblocking(false).map_err(sys)?;
        let addr = inet(&addr)?;
        let mut conn = Connection::with_context(Arc::clone(&self.context), sock);
        conn.set_accept_state()?;
        Ok((conn, addr))
    }

    /// Connects to the first of `addr`'s addresses that answers and sets
    /// connect state (unless the side is already client).
    /// pyOpenSSL `connect`.
    pub fn connect(&mut self, addr: impl ToSocketAddrs) -> Result<(), Error> {
        self.check_client()?;
        let mut last = None;
        for a in resolve(addr)? {
            match self.stream.connect(&a.into()) {
                Ok(()) => return self.client_state(),
                Err(e) => last = Some(e),
            }
        }
        Err(last.map(sys).unwrap_or_else(Error::unexpected_eof))
    }

    /// Like [`connect`](Connection::connect) but the socket's result comes
    /// back as an errno (`0` on success, e.g. `EINPROGRESS` for a
    /// non-blocking socket, `ECONNREFUSED`). Connect state is set only for
    /// `0` and `EINPROGRESS`, as the manual says ("if connect_ex doesn't
    /// return 0, SSL won't be initialized"; a connect in progress will
    /// succeed or fail later). pyOpenSSL `connect_ex`.
    pub fn connect_ex(&mut self, addr: impl ToSocketAddrs) -> Result<i32, Error> {
        self.check_client()?;
        let mut errno = 0;
        for a in resolve(addr)? {
            errno = match self.stream.connect(&a.into()) {
                Ok(()) => 0,
                Err(e) => e.raw_os_error().unwrap_or(libc::EIO),
            };
            if errno == 0 || errno == libc::EINPROGRESS {
                self.client_state()?;
                break;
            }
        }
        Ok(errno)
    }

    fn check_client(&self) -> Result<(), Error> {
        match &self.tls {
            Some(rustls::Connection::Server(_)) => {
                Err(Error::ssl("connect: the connection is in accept state"))
            }
            None if self.accepting.is_some() => {
                Err(Error::ssl("connect: the connection is in accept state"))
            }
            _ => Ok(()),
        }
    }

    fn client_state(&mut self) -> Result<(), Error> {
        if self.side_set() {
            Ok(())
        } else {
            self.set_connect_state()
        }
    }
}

#[cfg_attr(docsrs, doc(cfg(unix)))]
impl<S: Read + Write + AsFd> Connection<S> {
    fn sock(&self) -> SockRef<'_> {
        SockRef::from(&self.stream)
    }

    /// The peer's address. pyOpenSSL `getpeername`.
    pub fn getpeername(&self) -> Result<SocketAddr, Error> {
        inet(&self.sock().peer_addr().map_err(sys)?)
    }

    /// The socket's own address. pyOpenSSL `getsockname`.
    pub fn getsockname(&self) -> Result<SocketAddr, Error> {
        inet(&self.sock().local_addr().map_err(sys)?)
    }

    /// Blocking (`true`) or non-blocking (`false`) mode; in non-blocking
    /// mode the TLS calls return `WantRead`/`WantWrite` instead of waiting.
    /// pyOpenSSL `setblocking`.
    pub fn setblocking(&self, flag: bool) -> Result<(), Error> {
        self.sock().set_nonblocking(!flag).map_err(sys)
    }

    /// Shuts down the socket's reading, writing or both halves (no TLS
    /// alert: see [`shutdown`](Connection::shutdown) for that).
    /// pyOpenSSL `sock_shutdown`.
    pub fn sock_shutdown(&self, how: std::net::Shutdown) -> Result<(), Error> {
        self.sock().shutdown(how).map_err(sys)
    }

    /// Reads an integer socket option, by the C constants (`libc::SOL_SOCKET`,
    /// `libc::SO_REUSEADDR`, …). Booleans read 0 or 1; `SO_ERROR` reads and
    /// clears the pending errno. Supported: `SO_REUSEADDR`, `SO_KEEPALIVE`,
    /// `SO_BROADCAST`, `SO_RCVBUF`, `SO_SNDBUF`, `SO_TYPE`, `SO_ERROR`,
    /// `TCP_NODELAY`, `IP_TTL`, `IPV6_V6ONLY`; others are an error
    /// (`ENOPROTOOPT`) rather than a raw, unchecked call.
    /// pyOpenSSL `getsockopt`.
    ///
    /// ```
    /// use puressl::ssl::{Connection, Context, Method};
    /// use socket2::{Domain, Socket, Type};
    /// let ctx = Context::new(Method::Tls).unwrap();
    /// let sock = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
    /// let conn = Connection::new(&ctx, sock);
    /// conn.setsockopt(libc::IPPROTO_TCP, libc::TCP_NODELAY, 1).unwrap();
    /// assert_eq!(conn.getsockopt(libc::IPPROTO_TCP, libc::TCP_NODELAY).unwrap(), 1);
    /// assert_eq!(conn.getsockopt(libc::SOL_SOCKET, libc::SO_TYPE).unwrap(), libc::SOCK_STREAM);
    /// ```
    pub fn getsockopt(&self, level: i32, optname: i32) -> Result<i32, Error> {
        let s = self.sock();
        let size = |n: usize| i32::try_from(n).unwrap_or(i32::MAX);
        let r = match opt(level, optname)? {
            Opt::ReuseAddr => s.reuse_address().map(i32::from),
            Opt::KeepAlive => s.keepalive().map(i32::from),
            Opt::Broadcast => s.broadcast().map(i32::from),
            Opt::RcvBuf => s.recv_buffer_size().map(size),
            Opt::SndBuf => s.send_buffer_size().map(size),
            Opt::Type => s.r#type().map(i32::from),
            Opt::Error => s
                .take_error()
                .map(|e| e.map_or(0, |e| e.raw_os_error().unwrap_or(libc::EIO))),
            Opt::NoDelay => s.tcp_nodelay().map(i32::from),
            Opt::Ttl => s.ttl_v4().map(|t| i32::try_from(t).unwrap_or(i32::MAX)),
            Opt::V6Only => s.only_v6().map(i32::from),
        };
        r.map_err(sys)
    }

    /// Sets an integer socket option (see [`getsockopt`](Connection::getsockopt)
    /// for the supported ones); booleans take any non-zero value as true, and
    /// a negative size or TTL is an error (`EINVAL`). pyOpenSSL `setsockopt`.
    pub fn setsockopt(&self, level: i32, optname: i32, value: i32) -> Result<(), Error> {
        let s = self.sock();
        let on = value != 0;
        let count = || {
            u32::try_from(value).map_err(|_| Error::SysCall {
                errno: libc::EINVAL,
                message: format!("socket option value {value} is negative"),
            })
        };
        let r = match opt(level, optname)? {
            Opt::ReuseAddr => s.set_reuse_address(on),
            Opt::KeepAlive => s.set_keepalive(on),
            Opt::Broadcast => s.set_broadcast(on),
            Opt::RcvBuf => s.set_recv_buffer_size(count()? as usize),
            Opt::SndBuf => s.set_send_buffer_size(count()? as usize),
            Opt::NoDelay => s.set_tcp_nodelay(on),
            Opt::Ttl => s.set_ttl_v4(count()?),
            Opt::V6Only => s.set_only_v6(on),
            Opt::Type | Opt::Error => {
                return Err(Error::SysCall {
                    errno: libc::ENOPROTOOPT,
                    message: format!("socket option (level {level}, name {optname}) is read-only"),
                })
            }
        };
        r.map_err(sys)
    }
}

#[cfg_attr(docsrs, doc(cfg(unix)))]
impl<S: Read + Write + AsRawFd> Connection<S> {
    /// The socket's file descriptor. pyOpenSSL `fileno`.
    pub fn fileno(&self) -> RawFd {
        self.stream.as_raw_fd()
    }
}
