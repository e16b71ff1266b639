//! One waker for the underlying stream that wakes both halves of a
//! [`TlsStream`](super::TlsStream).
//!
//! A stream keeps one waker per direction (tokio's `TcpStream`,
//! `DuplexStream`): whoever polls it last is the one woken. A `TlsStream`
//! polls both directions from both of its own directions (the handshake
//! reads and writes; a read writes out what the connection produced, such
//! as the answer to a KeyUpdate), so a reader and a writer in two tasks
//! (`tokio::io::split`) would take each other's place there and one of them
//! would never be woken. Instead the stream is always polled with this
//! waker, which remembers the task of the last read and of the last
//! write and wakes both.

use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Wake, Waker};

/// Which side of the `TlsStream` is waiting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Half {
    /// `poll_read`.
    Read,
    /// `poll_write`, `poll_flush`, `poll_shutdown`.
    Write,
}

/// The tasks waiting on the stream: the last reader's and writer's wakers.
#[derive(Debug, Default)]
pub(super) struct Waiters {
    tasks: Mutex<[Option<Waker>; 2]>,
}

impl Waiters {
    /// Remembers `waker` as the task of `half`'s next wake-up.
    pub(super) fn register(&self, half: Half, waker: &Waker) {
        let mut tasks = self.tasks.lock().unwrap_or_else(PoisonError::into_inner);
        let slot = &mut tasks[half as usize];
        match slot {
            Some(w) if w.will_wake(waker) => {}
            _ => *slot = Some(waker.clone()),
        }
    }

    /// Wakes `half`'s task alone (the other half made the progress it
    /// waits for).
    pub(super) fn wake_half(&self, half: Half) {
        let task = {
            let mut tasks = self.tasks.lock().unwrap_or_else(PoisonError::into_inner);
            tasks[half as usize].take()
        };
        if let Some(task) = task {
            task.wake();
        }
    }
}

impl Wake for Waiters {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    /// The stream is ready in some direction: both tasks poll again (a
    /// woken task that finds nothing to do registers again).
    fn wake_by_ref(self: &Arc<Self>) {
        let [read, write] = {
            let mut tasks = self.tasks.lock().unwrap_or_else(PoisonError::into_inner);
            [tasks[0].take(), tasks[1].take()]
        };
        match (read, write) {
            (Some(r), Some(w)) if r.will_wake(&w) => r.wake(),
            (r, w) => {
                if let Some(r) = r {
                    r.wake();
                }
                if let Some(w) = w {
                    w.wake();
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    use std::task::{Wake, Waker};

    use super::{Half, Waiters};

    /// A task that counts its wake-ups.
    #[derive(Default)]
    struct Count(AtomicUsize);

    impl Wake for Count {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    fn task() -> (Arc<Count>, Waker) {
        let c = Arc::new(Count::default());
        (Arc::clone(&c), Waker::from(c))
    }

    #[test]
    fn the_stream_wakes_reader_and_writer_once_each() {
        let waiters = Arc::new(Waiters::default());
        let stream_waker = Waker::from(Arc::clone(&waiters));
        let ((r, rw), (w, ww)) = (task(), task());
        waiters.register(Half::Read, &rw);
        waiters.register(Half::Write, &ww);
        // A second registration of the same task changes nothing.
        waiters.register(Half::Write, &ww);
        stream_waker.wake_by_ref();
        assert_eq!(r.0.load(Ordering::SeqCst), 1);
        assert_eq!(w.0.load(Ordering::SeqCst), 1);
        // Taken: nothing left to wake until they register again.
        stream_waker.wake_by_ref();
        assert_eq!(r.0.load(Ordering::SeqCst) + w.0.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn one_task_in_both_halves_is_woken_once() {
        let waiters = Arc::new(Waiters::default());
        let (t, tw) = task();
        waiters.register(Half::Read, &tw);
        waiters.register(Half::Write, &tw);
        Waker::from(Arc::clone(&waiters)).wake();
        assert_eq!(t.0.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn wake_half_wakes_that_half_only() {
        let waiters = Waiters::default();
        let ((r, rw), (w, ww)) = (task(), task());
        waiters.register(Half::Read, &rw);
        waiters.register(Half::Write, &ww);
        waiters.wake_half(Half::Write);
        assert_eq!(
            (r.0.load(Ordering::SeqCst), w.0.load(Ordering::SeqCst)),
            (0, 1)
        );
    }
}
