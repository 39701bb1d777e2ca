//! Reading the units a corpus record names.

use std::path::Path;

use exposure_core::FileInput;
use serde_json::Value;

/// A unit of the corpus, read from disk: its files in the order systemd applies them.
pub struct CorpusUnit {
    /// The unit's name: the record's `unit`, else its unit file's name.
    pub unit: String,
    /// The unit file, then the drop-ins sorted by file name (as systemd applies them), each
    /// relative to the corpus folder it was read from.
    pub paths: Vec<String>,
    /// The text of each file of `paths`.
    pub texts: Vec<String>,
}

impl CorpusUnit {
    /// Reads the unit a record names: its unit file (`file`) and its drop-ins (`dropins`,
    /// optional), relative to `root`.
    pub fn read(root: &Path, record: &Value) -> CorpusUnit {
        let file = record["file"]
            .as_str()
            .expect("a record names its unit file");
        let unit = record["unit"]
            .as_str()
            .unwrap_or_else(|| file.rsplit('/').next().unwrap_or(file));
        let mut dropins: Vec<String> = record["dropins"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|d| d.as_str().expect("a drop-in path").to_owned())
                    .collect()
            })
            .unwrap_or_default();
        dropins.sort_by(|a, b| a.rsplit('/').next().cmp(&b.rsplit('/').next()));
        let mut paths = vec![file.to_owned()];
        paths.extend(dropins);
        let texts = paths
            .iter()
            .map(|p| {
                std::fs::read_to_string(root.join(p))
                    .unwrap_or_else(|e| panic!("cannot read {p} of the corpus: {e}"))
            })
            .collect();
        CorpusUnit {
            unit: unit.to_owned(),
            paths,
            texts,
        }
    }

    /// The files as the engine takes them.
    pub fn files(&self) -> Vec<FileInput<'_>> {
        self.paths
            .iter()
            .zip(&self.texts)
            .map(|(p, t)| FileInput::whole(Some(p), t))
            .collect()
    }
}
