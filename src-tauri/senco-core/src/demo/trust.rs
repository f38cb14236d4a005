//! Many demo schools' aggregation files at once, for trying and timing a trust's or a
//! community of schools' roll-up. Each school is a real demo school, built and counted by the
//! same code as the app's, in a scratch folder that is removed afterwards.

use std::path::{Path, PathBuf};

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::{create_named, DemoSpec, MIN_PUPILS};
use crate::governors::{self, OutputFormat};
use crate::school::Phase;
use crate::{files, Error, Result, Stamp};

const FIRST: [&str; 16] =
    ["Ash", "Bramble", "Cinder", "Dover", "Elder", "Fern", "Glen", "Hazel", "Ivy", "Juniper", "Kestrel", "Larch", "Mill", "Nether", "Oak", "Pebble"];
const SECOND: [&str; 12] = ["brook", "combe", "field", "ford", "gate", "hurst", "leigh", "mead", "stead", "ton", "well", "wood"];

/// The most schools one call writes.
pub const MAX_SCHOOLS: u32 = 1000;

/// Writes `schools` demo schools' aggregation files into `folder`, each school a different
/// size from 30 pupils to `max_pupils`, named and numbered so that no two are alike.
pub fn write_aggregates(folder: &Path, schools: u32, max_pupils: u32, seed: u64, stamp: Stamp) -> Result<Vec<PathBuf>> {
    if !(1..=MAX_SCHOOLS).contains(&schools) {
        return Err(Error::invalid("schools", format!("from 1 to {MAX_SCHOOLS} schools")));
    }
    // A fresh scratch name each call, so two runs into one folder never share one.
    let scratch = folder.join(format!(".senco-demo-schools-{}", files::random_hex(6)));
    files::create_private_dir(&scratch)?;
    let result = (|| {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let census = governors::latest_census(stamp.today);
        let national = governors::national::National::shipped();
        let mut written = Vec::new();
        for i in 0..schools {
            let name = format!("{}{} Demo Primary School", FIRST[i as usize % FIRST.len()], SECOND[(i as usize / FIRST.len()) % SECOND.len()]);
            let name = if i as usize >= FIRST.len() * SECOND.len() { format!("{name} {}", i as usize / (FIRST.len() * SECOND.len()) + 1) } else { name };
            let urn = format!("{}", 900_000 + i);
            let pupils = rng.gen_range(MIN_PUPILS..=max_pupils.max(MIN_PUPILS));
            let spec = DemoSpec { pupils, seed: seed.wrapping_add(i as u64 + 1), years: 5 };
            let path = scratch.join(format!("school-{i}.senco"));
            let store = create_named(&path, spec, Phase::Primary, (&name, &urn), stamp)?;
            let aggregate = store.governor_aggregate(census, stamp.today)?;
            drop(store);
            let (stem, bytes) = governors::render(&aggregate, OutputFormat::Aggregate, governors::DEFAULT_THRESHOLD, &national, stamp.today)?;
            written.push(files::write_new(folder, &stem, "json", &bytes)?.0);
            for leftover in std::fs::read_dir(&scratch).map_err(crate::error::file_error(&scratch, "read"))?.flatten() {
                let _ = std::fs::remove_file(leftover.path());
            }
        }
        Ok(written)
    })();
    let _ = std::fs::remove_dir_all(&scratch);
    result
}
