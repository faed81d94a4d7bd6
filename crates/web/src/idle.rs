//! A connection that remembers when it last moved a byte, so the server can close one that
//! sits idle (a keep-alive connection nobody uses, or a socket opened and never written).

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// Milliseconds since a fixed start, for an atomic "last activity" stamp.
fn now_ms(start: Instant) -> u64 {
    u64::try_from(start.elapsed().as_millis()).unwrap_or(u64::MAX)
}

/// When a connection last read or wrote.
#[derive(Clone, Debug)]
pub struct LastActivity {
    start: Instant,
    ms: Arc<AtomicU64>,
}

impl LastActivity {
    fn touch(&self) {
        self.ms.store(now_ms(self.start), Ordering::Relaxed);
    }

    fn idle_for(&self) -> Duration {
        Duration::from_millis(now_ms(self.start).saturating_sub(self.ms.load(Ordering::Relaxed)))
    }
}

/// An IO stream that stamps every successful read and write.
pub struct Watched<T> {
    inner: T,
    last: LastActivity,
}

impl<T> Watched<T> {
    pub fn new(inner: T) -> Self {
        Watched {
            inner,
            last: LastActivity {
                start: Instant::now(),
                ms: Arc::new(AtomicU64::new(0)),
            },
        }
    }

    pub fn last_activity(&self) -> LastActivity {
        self.last.clone()
    }
}

/// Resolves once the connection has been idle for `limit`.
pub async fn expired(last: LastActivity, limit: Duration) {
    loop {
        let idle = last.idle_for();
        if idle >= limit {
            return;
        }
        tokio::time::sleep(limit - idle).await;
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for Watched<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let r = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(r, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.last.touch();
        }
        r
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Watched<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let r = Pin::new(&mut self.inner).poll_write(cx, buf);
        if matches!(r, Poll::Ready(Ok(n)) if n > 0) {
            self.last.touch();
        }
        r
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    #[tokio::test]
    async fn traffic_resets_the_idle_clock() {
        let (a, mut b) = tokio::io::duplex(64);
        let mut w = Watched::new(a);
        let last = w.last_activity();
        tokio::time::sleep(Duration::from_millis(60)).await;
        assert!(last.idle_for() >= Duration::from_millis(50));
        b.write_all(b"hi").await.unwrap();
        let mut buf = [0u8; 2];
        w.read_exact(&mut buf).await.unwrap();
        assert!(last.idle_for() < Duration::from_millis(50));
        let t = Instant::now();
        expired(last, Duration::from_millis(80)).await;
        assert!(t.elapsed() >= Duration::from_millis(70));
    }
}
