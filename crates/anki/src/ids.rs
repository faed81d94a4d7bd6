//! Stable ids. The same memseed item always gets the same Anki GUID, note id and card id,
//! and the same note type or deck the same id, so a second export imported again updates
//! (or skips) its notes and never adds new ones.

/// Anki's GUID alphabet: letters, digits and 29 symbols (base 91), as Anki's own GUIDs.
const BASE91: &[u8] =
    b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&()*+,-./:;<=>?@[]^_`{|}~";

/// Ids are kept in [`ID_FLOOR`, `ID_FLOOR` + `ID_SPAN`): positive, below 2^53 (exact in
/// JavaScript, as Anki's ids are), and shaped like Anki's millisecond timestamps.
const ID_FLOOR: i64 = 1_000_000_000_000;
const ID_SPAN: u64 = 900_000_000_000;

/// A 64-bit hash of `s` that never changes between builds: FNV-1a, then SplitMix64's
/// finaliser so that keys differing in one letter differ in every part of the hash.
pub fn hash64(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h ^= h >> 30;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^= h >> 27;
    h = h.wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

/// Base-91 digits of `n`, most significant first, as Anki writes GUIDs.
fn base91(mut n: u64) -> String {
    let mut digits = Vec::new();
    loop {
        digits.push(BASE91[(n % 91) as usize]);
        n /= 91;
        if n == 0 {
            break;
        }
    }
    digits.reverse();
    String::from_utf8(digits).expect("ASCII alphabet")
}

/// The GUID of the note made from `key` (`python/concept/gil`).
pub fn guid(key: &str) -> String {
    base91(hash64(&format!("memseed guid {key}")))
}

/// A stable id for a thing of `kind` (`note`, `card`, `deck`, `notetype`) named `key`.
pub fn id(kind: &str, key: &str) -> i64 {
    ID_FLOOR + (hash64(&format!("memseed {kind} {key}")) % ID_SPAN) as i64
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn guids_are_stable_and_in_anki_s_alphabet() {
        assert_eq!(guid("python/concept/gil"), guid("python/concept/gil"));
        assert_eq!(hash64(""), hash64(""));
        assert_ne!(guid("python/concept/gil"), guid("python/concept/gim"));
        assert_eq!(base91(0), "a");
        assert_eq!(base91(91), "ba");
        assert_eq!(base91(u64::MAX).len(), 10);
    }

    #[test]
    fn known_values_do_not_drift() {
        // Pinned: a change here would make every exported note new to Anki again.
        assert_eq!(hash64("a"), 198_367_012_849_983_736);
        assert_eq!(guid("python/concept/gil"), "d(|uO(G&iL");
        assert_eq!(id("note", "python/concept/gil"), 1_486_439_936_955);
    }

    proptest! {
        #[test]
        fn ids_stay_in_range(key in ".{0,40}") {
            for kind in ["note", "card", "deck", "notetype"] {
                let v = id(kind, &key);
                prop_assert!((ID_FLOOR..ID_FLOOR + ID_SPAN as i64).contains(&v));
                prop_assert!(v < 1 << 53);
            }
            let g = guid(&key);
            prop_assert!(!g.is_empty() && g.len() <= 10);
            prop_assert!(g.bytes().all(|b| BASE91.contains(&b)));
        }
    }
}
