//! Just enough protobuf to read what a `collection.anki21b` package keeps in it: the
//! package version (`meta`), the media list, a note type's kind and a template's sides, a
//! deck's description. A field is read by number; everything else is skipped.

/// A malformed message.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("malformed protobuf at byte {at}: {what}")]
pub struct ProtoError {
    pub at: usize,
    pub what: &'static str,
}

/// One field's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Value<'a> {
    Varint(u64),
    Fixed64(u64),
    Bytes(&'a [u8]),
    Fixed32(u32),
}

impl<'a> Value<'a> {
    /// The value as a number (varint or fixed), else `None`.
    pub fn as_u64(self) -> Option<u64> {
        match self {
            Value::Varint(v) | Value::Fixed64(v) => Some(v),
            Value::Fixed32(v) => Some(u64::from(v)),
            Value::Bytes(_) => None,
        }
    }

    /// The value as bytes (strings and nested messages), else `None`.
    pub fn as_bytes(self) -> Option<&'a [u8]> {
        match self {
            Value::Bytes(b) => Some(b),
            _ => None,
        }
    }

    /// The value as UTF-8 text (invalid bytes replaced), else `None`.
    pub fn as_string(self) -> Option<String> {
        self.as_bytes()
            .map(|b| String::from_utf8_lossy(b).into_owned())
    }
}

/// Every `(field number, value)` of a message, in order.
pub fn fields(msg: &[u8]) -> Result<Vec<(u32, Value<'_>)>, ProtoError> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < msg.len() {
        let start = at;
        let key = varint(msg, &mut at)?;
        let number = u32::try_from(key >> 3).map_err(|_| ProtoError {
            at: start,
            what: "field number too large",
        })?;
        if number == 0 {
            return Err(ProtoError {
                at: start,
                what: "field number 0",
            });
        }
        let value = match key & 7 {
            0 => Value::Varint(varint(msg, &mut at)?),
            1 => Value::Fixed64(u64::from_le_bytes(
                take(msg, &mut at, 8)?.try_into().unwrap_or_default(),
            )),
            2 => {
                let len = varint(msg, &mut at)?;
                let len = usize::try_from(len).map_err(|_| ProtoError {
                    at,
                    what: "length too large",
                })?;
                Value::Bytes(take(msg, &mut at, len)?)
            }
            5 => Value::Fixed32(u32::from_le_bytes(
                take(msg, &mut at, 4)?.try_into().unwrap_or_default(),
            )),
            _ => {
                return Err(ProtoError {
                    at: start,
                    what: "unknown wire type",
                });
            }
        };
        out.push((number, value));
    }
    Ok(out)
}

/// The last value of field `number` (protobuf's rule for a repeated scalar field).
pub fn field(msg: &[u8], number: u32) -> Result<Option<Value<'_>>, ProtoError> {
    Ok(fields(msg)?
        .into_iter()
        .filter(|(n, _)| *n == number)
        .map(|(_, v)| v)
        .next_back())
}

fn varint(msg: &[u8], at: &mut usize) -> Result<u64, ProtoError> {
    let mut v: u64 = 0;
    for shift in (0..64).step_by(7) {
        let Some(&b) = msg.get(*at) else {
            return Err(ProtoError {
                at: *at,
                what: "message ends inside a number",
            });
        };
        *at += 1;
        v |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Ok(v);
        }
    }
    Err(ProtoError {
        at: *at,
        what: "number longer than 10 bytes",
    })
}

fn take<'a>(msg: &'a [u8], at: &mut usize, len: usize) -> Result<&'a [u8], ProtoError> {
    let end = at
        .checked_add(len)
        .filter(|&e| e <= msg.len())
        .ok_or(ProtoError {
            at: *at,
            what: "field runs past the end of the message",
        })?;
    let out = &msg[*at..end];
    *at = end;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reads_anki_s_package_version_and_a_media_entry() {
        // PackageMetadata { version: VERSION_LATEST (3) }
        assert_eq!(field(&[0x08, 0x03], 1).unwrap(), Some(Value::Varint(3)));
        // MediaEntries { entries: [{ name: "a.png", size: 300 }] }
        let entry = [0x0a, 5, b'a', b'.', b'p', b'n', b'g', 0x10, 0xac, 0x02];
        let mut msg = vec![0x0a, entry.len() as u8];
        msg.extend_from_slice(&entry);
        let e = field(&msg, 1).unwrap().unwrap().as_bytes().unwrap();
        assert_eq!(field(e, 1).unwrap().unwrap().as_string().unwrap(), "a.png");
        assert_eq!(field(e, 2).unwrap().unwrap().as_u64(), Some(300));
        assert_eq!(field(e, 9).unwrap(), None);
    }

    #[test]
    fn malformed_messages_are_errors() {
        assert!(fields(&[0x0a, 10, 1]).is_err(), "length past the end");
        assert!(fields(&[0x08]).is_err(), "number cut off");
        assert!(fields(&[0x0b]).is_err(), "wire type 3");
        assert!(fields(&[0x00, 0x01]).is_err(), "field 0");
        assert!(
            fields(&[
                0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01
            ])
            .is_err()
        );
    }

    proptest! {
        /// Any bytes give fields or an error, never a panic.
        #[test]
        fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let _ = fields(&bytes);
        }
    }
}
