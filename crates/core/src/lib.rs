//! memseed's pure core: topic packs, the value model, compression to a byte budget, and the
//! card layout. Nothing here touches files, HTTP, SQL, terminals or clocks.

pub mod budget;
pub mod card;
pub mod pack;
pub mod prose;
pub mod select;
pub mod synth;
pub mod value;

pub use card::Card;
pub use pack::{Pack, load_str};
pub use select::{Compressor, Selection, TooSmall};
