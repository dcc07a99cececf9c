//! The prefilter: a bitmask of the chars a field holds, against which a term is tested
//! before any matching, so that most of a million fields are passed over on one AND.

/// Whether a field can match a term, from the chars it holds: every way of matching needs
/// the term's first char, and all its chars but the few a typo may change.
pub(super) struct Prefilter {
    first: u64,
    chars: u64,
    missing: u32,
}

impl Prefilter {
    pub(super) fn new(term: &str) -> Prefilter {
        let len = term.chars().count();
        Prefilter {
            first: term.chars().next().map_or(0, bit),
            chars: mask_of(term),
            // As `typo_match` allows: none below five chars, one up to seven, two beyond.
            missing: match len {
                0..=4 => 0,
                5..=7 => 1,
                _ => 2,
            },
        }
    }

    pub(super) fn passes(&self, mask: u64) -> bool {
        mask & self.first != 0 && (self.chars & !mask).count_ones() <= self.missing
    }
}

/// One bit per char: letters and digits their own, others sharing the rest. A bit shared by
/// two chars can only let a field through that then fails to match, never keep one out.
const fn bit_of(c: u32) -> u64 {
    let i = if c >= 'a' as u32 && c <= 'z' as u32 {
        c - 'a' as u32
    } else if c >= '0' as u32 && c <= '9' as u32 {
        26 + c - '0' as u32
    } else {
        36 + c % 28
    };
    1 << i
}

/// [`bit_of`] for every ASCII byte, looked up while a corpus is built.
const ASCII_BITS: [u64; 128] = {
    let mut table = [0u64; 128];
    let mut b = 0;
    while b < 128 {
        table[b] = bit_of(b as u32);
        b += 1;
    }
    table
};

fn bit(c: char) -> u64 {
    bit_of(c as u32)
}

pub(super) fn mask_of(text: &str) -> u64 {
    if text.is_ascii() {
        return text
            .bytes()
            .fold(0, |m, b| m | ASCII_BITS[usize::from(b & 0x7F)]);
    }
    text.chars().fold(0, |m, c| m | bit(c))
}
