//! Byte streams in front of the JUnit reader, so a report is read in constant memory
//! whatever it holds: [`Decode`] turns a report in another encoding into UTF-8 as it
//! is read, and [`Elide`] drops the contents of `<system-out>` and `<system-err>`
//! (the captured output, which counts nothing and can be gigabytes in one text node
//! that the XML reader would otherwise hold whole).

use std::io::{BufRead, Read};

/// Decodes `inner` from `encoding` to UTF-8, chunk by chunk; a byte sequence the
/// encoding does not have is an error.
pub struct Decode<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    out: Vec<u8>,
    pos: usize,
    done: bool,
}

impl<R: BufRead> Decode<R> {
    pub fn new(inner: R, encoding: &'static encoding_rs::Encoding) -> Self {
        Decode {
            inner,
            decoder: encoding.new_decoder_with_bom_removal(),
            out: Vec::new(),
            pos: 0,
            done: false,
        }
    }

    fn refill(&mut self) -> std::io::Result<()> {
        use encoding_rs::DecoderResult;
        while self.pos == self.out.len() && !self.done {
            let src = self.inner.fill_buf()?;
            let last = src.is_empty();
            self.out.clear();
            self.pos = 0;
            let cap = self
                .decoder
                .max_utf8_buffer_length_without_replacement(src.len())
                .unwrap_or(src.len() * 3 + 16)
                .max(16);
            self.out.resize(cap, 0);
            let (result, read, written) =
                self.decoder
                    .decode_to_utf8_without_replacement(src, &mut self.out, last);
            self.out.truncate(written);
            self.inner.consume(read);
            match result {
                DecoderResult::Malformed(_, _) => {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        format!(
                            "not valid {}: a byte sequence that encoding does not have",
                            self.decoder.encoding().name()
                        ),
                    ));
                }
                DecoderResult::InputEmpty if last => self.done = true,
                _ => {}
            }
        }
        Ok(())
    }
}

impl<R: BufRead> Read for Decode<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.refill()?;
        let n = buf.len().min(self.out.len() - self.pos);
        buf[..n].copy_from_slice(&self.out[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

#[derive(Clone, Copy)]
enum St {
    Text,
    /// After `<`: the bytes so far are in `peek`.
    Lt,
    /// Inside a start tag; `skip` when it opens captured output.
    Tag {
        skip: bool,
        quote: Option<u8>,
        prev: u8,
    },
    /// Inside `<![CDATA[…]]>` or `<!--…-->`, `n` bytes of the terminator matched;
    /// `skip` when within captured output.
    Until {
        end: &'static [u8],
        n: usize,
        skip: bool,
    },
    /// Within captured output.
    Skip,
    /// After `<` within captured output.
    SkipLt,
}

/// `inner` with the text of every `<system-out>` and `<system-err>` element removed
/// (the elements themselves kept, empty). CDATA sections and comments are passed
/// whole elsewhere, so markup quoted in them is never taken for an element.
pub struct Elide<R> {
    inner: R,
    out: Vec<u8>,
    pos: usize,
    st: St,
    peek: Vec<u8>,
    /// `/` and the qualified name of the element being elided: its end tag.
    end: Vec<u8>,
}

const CDATA: &[u8] = b"![CDATA[";
const COMMENT: &[u8] = b"!--";
const ELIDED: [&[u8]; 2] = [b"system-out", b"system-err"];

fn name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.') || b >= 0x80
}

impl<R: BufRead> Elide<R> {
    pub fn new(inner: R) -> Self {
        Elide {
            inner,
            out: Vec::with_capacity(64 * 1024),
            pos: 0,
            st: St::Text,
            peek: Vec::new(),
            end: Vec::new(),
        }
    }

    fn step(&mut self, b: u8) {
        match self.st {
            St::Text => {
                if b == b'<' {
                    self.peek.clear();
                    self.st = St::Lt;
                } else {
                    self.out.push(b);
                }
            }
            St::Lt => {
                self.peek.push(b);
                let p = self.peek.as_slice();
                let special = if p == CDATA {
                    Some(b"]]>".as_slice())
                } else if p == COMMENT {
                    Some(b"-->".as_slice())
                } else {
                    None
                };
                if let Some(end) = special {
                    self.flush_peek();
                    self.st = St::Until {
                        end,
                        n: 0,
                        skip: false,
                    };
                } else if (CDATA.starts_with(p) || COMMENT.starts_with(p)) && p.len() < 8 {
                    // Still maybe a CDATA section or a comment.
                } else if name_byte(p[0]) && name_byte(b) && p.len() < 128 {
                    // Still in the element's name.
                } else if name_byte(p[0]) {
                    let name = &p[..p.len() - 1];
                    let local = name.rsplit(|c| *c == b':').next().unwrap_or(name);
                    let skip = !name_byte(b) && ELIDED.contains(&local);
                    if skip {
                        self.end.clear();
                        self.end.push(b'/');
                        self.end.extend_from_slice(name);
                    }
                    self.flush_peek();
                    self.st = St::Tag {
                        skip,
                        quote: None,
                        prev: 0,
                    };
                    self.tag_byte_done(b);
                } else {
                    self.flush_peek();
                    self.st = St::Text;
                }
            }
            St::Tag { .. } => {
                self.out.push(b);
                self.tag_byte_done(b);
            }
            St::Until { end, n, skip } => {
                if !skip {
                    self.out.push(b);
                }
                let n = if b == end[n] {
                    n + 1
                } else if b == end[0] {
                    // `]]]>` and `--->`: a run of the first byte keeps the match.
                    if n > 0 && end[..n].iter().all(|c| *c == b) {
                        n
                    } else {
                        1
                    }
                } else {
                    0
                };
                self.st = if n == end.len() {
                    if skip { St::Skip } else { St::Text }
                } else {
                    St::Until { end, n, skip }
                };
            }
            St::Skip => {
                if b == b'<' {
                    self.peek.clear();
                    self.st = St::SkipLt;
                }
            }
            St::SkipLt => {
                self.peek.push(b);
                let p = self.peek.as_slice();
                if p == CDATA || p == COMMENT {
                    let end: &'static [u8] = if p == CDATA { b"]]>" } else { b"-->" };
                    self.st = St::Until {
                        end,
                        n: 0,
                        skip: true,
                    };
                } else if CDATA.starts_with(p) || COMMENT.starts_with(p) || self.end.starts_with(p)
                {
                    // Still maybe one of them.
                } else if p.len() > self.end.len()
                    && p.starts_with(&self.end)
                    && (b == b'>' || b.is_ascii_whitespace())
                {
                    if b == b'>' {
                        self.out.push(b'<');
                        self.out.extend_from_slice(&self.end);
                        self.out.push(b'>');
                        self.st = St::Text;
                    }
                } else {
                    self.st = St::Skip;
                    if b == b'<' {
                        self.peek.clear();
                        self.st = St::SkipLt;
                    }
                }
            }
        }
    }

    /// `b` has been written inside a start tag: quotes, and the tag's end.
    fn tag_byte_done(&mut self, b: u8) {
        let St::Tag { skip, quote, prev } = self.st else {
            return;
        };
        self.st = match quote {
            Some(q) if b == q => St::Tag {
                skip,
                quote: None,
                prev: b,
            },
            Some(_) => St::Tag {
                skip,
                quote,
                prev: b,
            },
            None if b == b'"' || b == b'\'' => St::Tag {
                skip,
                quote: Some(b),
                prev: b,
            },
            None if b == b'>' => {
                if skip && prev != b'/' {
                    St::Skip
                } else {
                    St::Text
                }
            }
            None => St::Tag {
                skip,
                quote: None,
                prev: b,
            },
        };
    }

    fn flush_peek(&mut self) {
        self.out.push(b'<');
        self.out.extend_from_slice(&self.peek);
        self.peek.clear();
    }
}

impl<R: BufRead> Read for Elide<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = {
            let got = self.fill_buf()?;
            let n = buf.len().min(got.len());
            buf[..n].copy_from_slice(&got[..n]);
            n
        };
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Elide<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        while self.pos == self.out.len() {
            self.out.clear();
            self.pos = 0;
            let chunk = self.inner.fill_buf()?;
            if chunk.is_empty() {
                // A `<` and a name cut by the end of the file: passed on for the XML
                // reader to report.
                if matches!(self.st, St::Lt) {
                    self.flush_peek();
                    self.st = St::Text;
                }
                break;
            }
            let chunk = chunk.to_vec();
            self.inner.consume(chunk.len());
            for b in chunk {
                self.step(b);
            }
        }
        Ok(&self.out[self.pos..])
    }

    fn consume(&mut self, amt: usize) {
        self.pos = (self.pos + amt).min(self.out.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn elide(s: &str) -> String {
        let mut out = String::new();
        Elide::new(std::io::BufReader::with_capacity(3, s.as_bytes()))
            .read_to_string(&mut out)
            .unwrap();
        out
    }

    #[test]
    fn captured_output_is_dropped_and_nothing_else() {
        assert_eq!(
            elide("<a><system-out a=\"x>\">big <b>x</b> text</system-out><c/></a>"),
            "<a><system-out a=\"x>\"></system-out><c/></a>"
        );
        assert_eq!(
            elide("<system-err><![CDATA[</system-err> <testcase>]]]]>more</system-err >x"),
            "<system-err></system-err>x"
        );
        // Markup quoted in CDATA or comments elsewhere is left alone.
        assert_eq!(
            elide(
                "<f><![CDATA[<system-out>]]></f><!-- <system-out> --><system-outs>k</system-outs><system-out/>z"
            ),
            "<f><![CDATA[<system-out>]]></f><!-- <system-out> --><system-outs>k</system-outs><system-out/>z"
        );
        assert_eq!(
            elide("<ns:system-out>q</ns:system-out>"),
            "<ns:system-out></ns:system-out>"
        );
    }

    #[test]
    fn other_encodings_are_decoded_as_a_stream() {
        let bytes = [0xFF, 0xFE, b'<', 0, 0xE9, 0, b'>', 0];
        let mut out = String::new();
        Decode::new(
            std::io::BufReader::with_capacity(3, &bytes[..]),
            encoding_rs::UTF_16LE,
        )
        .read_to_string(&mut out)
        .unwrap();
        assert_eq!(out, "<é>");
        let bad = [b'<', 0, 0x00, 0xD8, b'>', 0];
        let mut out = String::new();
        let e = Decode::new(&bad[..], encoding_rs::UTF_16LE).read_to_string(&mut out);
        assert!(e.is_err());
    }
}
