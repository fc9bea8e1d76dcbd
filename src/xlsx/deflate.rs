//! Deflates a big part of a workbook on every core (pigz's method): the text is cut into pieces of about 1 MiB,
//! each compressed on its own, primed with the 32 KiB of text before it and ended on a byte boundary, so the
//! pieces joined in order are one valid deflate stream. A piece's bytes depend only on its text and the text
//! before it, never on how many threads compressed it.

use flate2::{Compress, Compression, FlushCompress, Status};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc::{Receiver, Sender, channel};

/// The deflate level of the parts zhili compresses itself. Measured on the province report's XML (zlib-rs,
/// docs/performance.md): level 5 gives the same size as rust_xlsxwriter's default 6 in 60% of the time.
pub const LEVEL: u32 = 5;

/// Text is cut into pieces once this much has been written.
pub const PIECE: usize = 1 << 20;

/// Deflate's window: a piece is primed with this much of the text before it.
const WINDOW: usize = 32 * 1024;

/// Compresses `data` as one piece of a longer raw deflate stream: primed with `dict` (the text just before it,
/// at most 32 KiB are used), ending with a sync flush when more follows, or with the final block when `last`.
pub fn piece(data: &[u8], dict: &[u8], last: bool) -> Vec<u8> {
    let mut c = Compress::new(Compression::new(LEVEL), false);
    if !dict.is_empty() {
        let dict = &dict[dict.len().saturating_sub(WINDOW)..];
        // Cannot fail: a fresh raw stream accepts a dictionary before its first input.
        c.set_dictionary(dict).expect("a fresh deflate stream takes a dictionary");
    }
    let flush = if last { FlushCompress::Finish } else { FlushCompress::Sync };
    let mut out = Vec::with_capacity(data.len() / 4 + 1024);
    loop {
        if out.capacity() - out.len() < 16 * 1024 {
            out.reserve(out.capacity().max(64 * 1024));
        }
        let read = c.total_in() as usize;
        // Cannot fail: in-memory input, and output space is always left.
        let status = c.compress_vec(&data[read..], &mut out, flush).expect("deflate of bytes in memory");
        let consumed = c.total_in() as usize == data.len();
        // zlib's rule: a flush is complete when it returns with output space left over.
        match status {
            Status::StreamEnd => break,
            _ if !last && consumed && out.len() < out.capacity() => break,
            _ => {}
        }
    }
    out
}

/// A part's text, compressed piece by piece while it is written.
pub struct Compressed {
    /// The pieces joined in order (none of them ends the stream), in a temporary file: a province's big sheet
    /// compresses to tens of MB, which need not stay in memory. `None` when there is no text.
    pub pieces: Option<std::fs::File>,
    /// The pieces' length in bytes.
    pub size: u64,
    /// CRC-32 of the text.
    pub crc: crc32fast::Hasher,
    /// The text's length in bytes.
    pub len: u64,
    /// The text's last 32 KiB, to prime what follows it.
    pub tail: Vec<u8>,
}

/// Text being written and compressed: pieces go to rayon's threads as they fill, so compressing overlaps with
/// writing; at most a few pieces are in flight at once.
pub struct Body {
    buf: Vec<u8>,
    tail: Vec<u8>,
    crc: crc32fast::Hasher,
    len: u64,
    pieces: Vec<Option<Vec<u8>>>,
    /// Pieces before this one are in `file`.
    next: usize,
    file: Option<std::fs::File>,
    size: u64,
    in_flight: usize,
    limit: usize,
    tx: Sender<(usize, Option<Vec<u8>>)>,
    rx: Receiver<(usize, Option<Vec<u8>>)>,
    /// Where pieces are compressed: rayon's global pool unless a test gives one.
    pool: Option<std::sync::Arc<rayon::ThreadPool>>,
}

impl Default for Body {
    fn default() -> Self {
        Self::new()
    }
}

impl Body {
    pub fn new() -> Self {
        Self::on(None)
    }

    /// Compressing on `pool` (None: rayon's global pool).
    pub fn on(pool: Option<std::sync::Arc<rayon::ThreadPool>>) -> Self {
        let threads = pool.as_ref().map_or_else(rayon::current_num_threads, |p| p.current_num_threads());
        let (tx, rx) = channel();
        Body {
            buf: Vec::with_capacity(PIECE + 64 * 1024),
            tail: Vec::new(),
            crc: crc32fast::Hasher::new(),
            len: 0,
            pieces: Vec::new(),
            next: 0,
            file: None,
            size: 0,
            in_flight: 0,
            limit: 2 * threads + 2,
            tx,
            rx,
            pool,
        }
    }

    /// Appends text; a full piece is handed to a thread.
    pub fn write(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.buf.extend_from_slice(bytes);
        if self.buf.len() >= PIECE { self.cut() } else { Ok(()) }
    }

    fn cut(&mut self) -> std::io::Result<()> {
        let text = std::mem::replace(&mut self.buf, Vec::with_capacity(PIECE + 64 * 1024));
        self.crc.update(&text);
        self.len += text.len() as u64;
        // The next piece is primed with the last 32 KiB of all the text so far.
        let dict = std::mem::take(&mut self.tail);
        let keep = WINDOW.saturating_sub(text.len()).min(dict.len());
        self.tail = dict[dict.len() - keep..].to_vec();
        self.tail.extend_from_slice(&text[text.len().saturating_sub(WINDOW)..]);
        let index = self.pieces.len();
        // On one of rayon's own threads (a report written inside a parallel batch) waiting for the pool could
        // wait for itself: compress here instead. The bytes are the same.
        if self.pool.is_none() && rayon::current_thread_index().is_some() {
            self.pieces.push(Some(piece(&text, &dict, false)));
            return self.spill();
        }
        while self.in_flight >= self.limit {
            self.receive()?;
        }
        self.pieces.push(None);
        self.in_flight += 1;
        let tx = self.tx.clone();
        let job = move || {
            let out = catch_unwind(AssertUnwindSafe(|| piece(&text, &dict, false))).ok();
            let _ = tx.send((index, out));
        };
        match &self.pool {
            Some(pool) => pool.spawn(job),
            None => rayon::spawn(job),
        }
        Ok(())
    }

    fn receive(&mut self) -> std::io::Result<()> {
        let lost = || std::io::Error::other("a thread compressing the report stopped");
        let (index, out) = self.rx.recv().map_err(|_| lost())?;
        self.in_flight -= 1;
        self.pieces[index] = Some(out.ok_or_else(lost)?);
        self.spill()
    }

    /// Moves the finished pieces that follow those already in the file into it, in order.
    fn spill(&mut self) -> std::io::Result<()> {
        use std::io::Write;
        while let Some(Some(bytes)) = self.pieces.get_mut(self.next).map(Option::take) {
            let file = match &mut self.file {
                Some(f) => f,
                None => self.file.insert(tempfile::tempfile()?),
            };
            file.write_all(&bytes)?;
            self.size += bytes.len() as u64;
            self.next += 1;
        }
        Ok(())
    }

    /// Waits for every piece.
    pub fn finish(mut self) -> std::io::Result<Compressed> {
        if !self.buf.is_empty() {
            self.cut()?;
        }
        while self.in_flight > 0 {
            self.receive()?;
        }
        if self.next != self.pieces.len() {
            return Err(std::io::Error::other("a piece of the report was not compressed"));
        }
        let mut pieces = self.file;
        if let Some(f) = &mut pieces {
            use std::io::Seek;
            f.rewind()?;
        }
        Ok(Compressed { pieces, size: self.size, crc: self.crc, len: self.len, tail: self.tail })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::read::DeflateDecoder;
    use std::io::Read;

    impl Compressed {
        fn bytes(&mut self) -> Vec<u8> {
            let mut out = Vec::new();
            if let Some(f) = &mut self.pieces {
                f.read_to_end(&mut out).unwrap();
            }
            assert_eq!(out.len() as u64, self.size);
            out
        }
    }

    fn inflate(bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        DeflateDecoder::new(bytes).read_to_end(&mut out).unwrap();
        out
    }

    /// Text that compresses like a sheet: repeated rows with changing numbers.
    fn text(n: usize) -> Vec<u8> {
        let mut t = Vec::new();
        let mut i = 0u64;
        while t.len() < n {
            t.extend_from_slice(format!("<row r=\"{i}\"><c r=\"A{i}\" t=\"inlineStr\"><is><t>单位{}</t></is></c><c r=\"B{i}\"><v>{}</v></c></row>", i % 97, i * 7919 % 1000).as_bytes());
            i += 1;
        }
        t.truncate(n);
        t
    }

    #[test]
    fn pieces_joined_are_one_stream_of_the_whole_text() {
        let prefix = b"<?xml version=\"1.0\"?><worksheet><sheetData>".to_vec();
        let body_text = text(3 * PIECE + 12345);
        let suffix = b"</sheetData></worksheet>".to_vec();
        let mut body = Body::new();
        // Written in uneven slices, as rows are.
        for slice in body_text.chunks(7777) {
            body.write(slice).unwrap();
        }
        let mut c = body.finish().unwrap();
        assert_eq!(body_text.len() / 7777 * 7777 / PIECE, 3, "cut at the first write past each MiB: 4 pieces");
        assert_eq!(c.len, body_text.len() as u64);
        let mut stream = piece(&prefix, &[], false);
        stream.extend_from_slice(&c.bytes());
        stream.extend_from_slice(&piece(&suffix, &c.tail, true));
        let mut whole = prefix.clone();
        whole.extend_from_slice(&body_text);
        whole.extend_from_slice(&suffix);
        assert_eq!(inflate(&stream), whole);
        // The CRC is the text's, combined as a zip entry needs it.
        let mut crc = crc32fast::Hasher::new();
        crc.update(&prefix);
        crc.combine(&c.crc);
        let mut s = crc32fast::Hasher::new();
        s.update(&suffix);
        crc.combine(&s);
        assert_eq!(crc.finalize(), crc32fast::hash(&whole));
        // Priming with the text before keeps the ratio close to one stream's (within 1%).
        let single = piece(&whole, &[], true).len();
        assert!(stream.len() * 100 <= single * 101, "{} vs {single}", stream.len());
    }

    #[test]
    fn the_bytes_do_not_depend_on_the_threads() {
        let body_text = text(2 * PIECE + 99);
        let run = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            let mut body = Body::on(Some(std::sync::Arc::new(pool)));
            for slice in body_text.chunks(4096) {
                body.write(slice).unwrap();
            }
            body.finish().unwrap().bytes()
        };
        let one = run(1);
        assert_eq!(run(2), one);
        assert_eq!(run(4), one);
        // Inside a pool's thread, compressed in place: the same bytes.
        let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
        let inside = pool.install(|| {
            let mut body = Body::new();
            for slice in body_text.chunks(4096) {
                body.write(slice).unwrap();
            }
            body.finish().unwrap().bytes()
        });
        assert_eq!(inside, one);
    }

    #[test]
    fn short_and_empty_text() {
        assert!(Body::new().finish().unwrap().pieces.is_none());
        let mut body = Body::new();
        body.write(b"abc").unwrap();
        let mut c = body.finish().unwrap();
        assert_eq!(c.tail, b"abc");
        let mut stream = c.bytes();
        stream.extend_from_slice(&piece(b"", &c.tail, true));
        assert_eq!(inflate(&stream), b"abc");
    }
}
