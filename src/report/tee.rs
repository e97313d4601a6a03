//! [`Tee`]: every result to every `--output` target, from one pass over the
//! input. Each target has a format, a buffer handed on in chunks, and a
//! destination: standard output (where a closed pipe stops only that target
//! and is remembered, since the run's output is then incomplete), a buffer,
//! or an [`AtomicFile`] renamed into place only when the whole run succeeded.

use super::atomic::AtomicFile;
use super::{Encoder, Error, Format, Item, Report, Run, Summary};
use std::io::Write;
use std::time::{Duration, Instant};

/// Output is handed on in chunks of about this size. (A test of classify
/// relies on it: see `PART_RESULTS` in cli/commands/classify.rs.)
const OUT_CHUNK: usize = 64 << 10;
/// How long output for standard output may wait while rows keep coming.
const OUT_LATENCY: Duration = Duration::from_millis(250);
/// Results between two looks at the clock for [`OUT_LATENCY`].
const LATENCY_CHECK_EVERY: u32 = 256;

pub enum Destination<'w> {
    /// Standard output (or any stream that may be closed early).
    Stream(&'w mut dyn Write),
    /// Memory (tests, [`super::render`]).
    Buffer(&'w mut Vec<u8>),
    /// A file, written beside its target and renamed into place at the end.
    File(AtomicFile),
}

/// Where one target's bytes go: a buffer handed on in chunks.
struct Sink<'w> {
    destination: Destination<'w>,
    buf: Vec<u8>,
    /// A closed pipe: nothing more is written here.
    closed: bool,
    /// An error met while a format wrote through [`std::io::Write`].
    failed: Option<Error>,
}

impl Sink<'_> {
    fn push(&mut self) -> Result<(), Error> {
        if self.closed || self.buf.is_empty() {
            self.buf.clear();
            return Ok(());
        }
        let result = match &mut self.destination {
            Destination::Buffer(b) => {
                b.extend_from_slice(&self.buf);
                Ok(())
            }
            Destination::Stream(w) => match w.write_all(&self.buf).and_then(|_| w.flush()) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                    self.closed = true;
                    Ok(())
                }
                other => other.map_err(|source| Error::Io {
                    path: "<stdout>".into(),
                    source,
                }),
            },
            Destination::File(f) => f.write_all(&self.buf),
        };
        self.buf.clear();
        result
    }
}

/// A format's `finish` writes through here: in chunks, never the whole
/// document at once.
impl Write for Sink<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(bytes);
        if self.buf.len() >= OUT_CHUNK {
            if let Err(e) = self.push() {
                let text = e.to_string();
                self.failed = Some(e);
                return Err(std::io::Error::other(text));
            }
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

struct Target<'w> {
    format: Box<dyn Format>,
    sink: Sink<'w>,
}

#[derive(Default)]
pub struct Tee<'w> {
    targets: Vec<Target<'w>>,
    ticks: u32,
    last_push: Option<Instant>,
}

impl<'w> Tee<'w> {
    pub fn add(&mut self, format: Box<dyn Format>, destination: Destination<'w>) {
        self.targets.push(Target {
            format,
            sink: Sink {
                destination,
                buf: Vec::with_capacity(4096),
                closed: false,
                failed: None,
            },
        });
    }

    pub fn is_empty(&self) -> bool {
        self.targets.is_empty()
    }

    /// Hands on what has built up: a full chunk, or (for a stream that
    /// someone may be watching) output that has waited long enough.
    fn tick(&mut self) -> Result<(), Error> {
        self.ticks = self.ticks.wrapping_add(1);
        let look = self.ticks % LATENCY_CHECK_EVERY == 0;
        let late = look && self.last_push.is_none_or(|t| t.elapsed() >= OUT_LATENCY);
        for t in &mut self.targets {
            let sink = &mut t.sink;
            let stream = matches!(sink.destination, Destination::Stream(_));
            if sink.buf.len() >= OUT_CHUNK || (late && stream && !sink.buf.is_empty()) {
                sink.push()?;
            }
        }
        if look {
            self.last_push = Some(Instant::now());
        }
        Ok(())
    }

    /// After `finish`: renames every file into place. Returns false when a
    /// stream was closed before it had everything (`| head`).
    pub fn commit(self) -> Result<bool, Error> {
        let mut complete = true;
        for t in self.targets {
            complete &= !t.sink.closed;
            if let Destination::File(f) = t.sink.destination {
                f.commit()?;
            }
        }
        Ok(complete)
    }
}

impl Report for Tee<'_> {
    fn begin(&mut self, run: &Run<'_>) -> Result<(), Error> {
        for t in &mut self.targets {
            t.format.begin(run, &mut t.sink.buf);
        }
        self.tick()
    }

    fn encoders(&self) -> Vec<Option<Encoder>> {
        self.targets.iter().map(|t| t.format.encoder()).collect()
    }

    fn result(&mut self, run: &Run<'_>, item: &Item<'_>, pieces: &[Vec<u8>]) -> Result<(), Error> {
        for (i, t) in self.targets.iter_mut().enumerate() {
            if t.sink.closed {
                continue;
            }
            match pieces.get(i) {
                Some(piece) => t.format.result(run, item, piece, &mut t.sink.buf),
                None => {
                    let piece = t.format.encoder().map(|e| e(item)).unwrap_or_default();
                    t.format.result(run, item, &piece, &mut t.sink.buf)
                }
            }
        }
        self.tick()
    }

    fn finish(&mut self, run: &Run<'_>, summary: &Summary) -> Result<(), Error> {
        for t in &mut self.targets {
            let written = t.format.finish(run, summary, &mut t.sink);
            if let Some(e) = t.sink.failed.take() {
                return Err(e);
            }
            written.map_err(|source| Error::Io {
                path: "<report>".into(),
                source,
            })?;
            t.sink.push()?;
        }
        Ok(())
    }

    fn wants_more(&self) -> bool {
        self.targets.iter().any(|t| !t.sink.closed)
    }

    fn explains(&self) -> bool {
        self.targets.iter().any(|t| t.format.explains())
    }
}
