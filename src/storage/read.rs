//! The one way files are read: project loading, opening a document and
//! imports all come here. Only regular files are read (a FIFO would block
//! forever, `/dev/zero` would never end), and a file that grows or shrinks
//! while it is read is an error rather than a silently cut-off text.

use std::fs::{File, Metadata, OpenOptions};
use std::io::Read;
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::Path;

use super::disk_state::DiskState;
use super::error::{ReadError, in_words};

/// A whole file and its state when it was read.
#[derive(Debug)]
pub struct ReadFile {
    pub bytes: Vec<u8>,
    pub state: DiskState,
}

/// Reads a whole regular file, with its [`DiskState`] for a later save to compare against.
pub fn read(path: &Path) -> Result<ReadFile, ReadError> {
    let (bytes, opened) = read_unhashed(path)?;
    let state = DiskState::new(&opened, &bytes);
    Ok(ReadFile { bytes, state })
}

/// Reads a whole regular file as [`read`] does, with its metadata as it was
/// read but without hashing it: for reading many files that are not going
/// to be saved (a corpus's summaries), where the hash would cost more than
/// the reading.
pub fn read_unhashed(path: &Path) -> Result<(Vec<u8>, Metadata), ReadError> {
    let fail = |reason: String| ReadError::new(path, reason);
    let metadata = std::fs::metadata(path).map_err(|error| fail(in_words(&error)))?;
    refuse_unless_regular(&metadata).map_err(|why| fail(why.into()))?;
    // Non-blocking, in case the path became a FIFO since the check above.
    let mut file = OpenOptions::new()
        .read(true)
        .custom_flags(nonblocking_flag())
        .open(path)
        .map_err(|error| fail(in_words(&error)))?;
    let opened = file.metadata().map_err(|error| fail(in_words(&error)))?;
    refuse_unless_regular(&opened).map_err(|why| fail(why.into()))?;
    let bytes = read_exactly(&mut file, opened.len()).map_err(fail)?;
    let after = file.metadata().map_err(|error| fail(in_words(&error)))?;
    if after.len() != opened.len() || after.modified().ok() != opened.modified().ok() {
        return Err(fail(
            "it changed while it was being read (another program is writing it); try again when it is done".into(),
        ));
    }
    Ok((bytes, opened))
}

/// Reads a whole regular file; see [`read`].
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, ReadError> {
    read(path).map(|file| file.bytes)
}

/// Why a file of this kind is not read, in words; `Ok` for a regular file.
pub(super) fn refuse_unless_regular(metadata: &Metadata) -> Result<(), &'static str> {
    let kind = metadata.file_type();
    if kind.is_file() {
        Ok(())
    } else if kind.is_dir() {
        Err("it is a folder, not a file")
    } else if kind.is_fifo() {
        Err("it is a named pipe (FIFO), not a file")
    } else if kind.is_char_device() || kind.is_block_device() {
        Err("it is a device, not a file")
    } else if kind.is_socket() {
        Err("it is a socket, not a file")
    } else {
        Err("it is not a regular file")
    }
}

/// Reads `expected` bytes and checks that the file then ends: a file cut
/// short or grown while it is read gives an error naming both sizes.
fn read_exactly(reader: &mut impl Read, expected: u64) -> Result<Vec<u8>, String> {
    let capacity = usize::try_from(expected).map_err(|_| "it is too large to read into memory".to_owned())?;
    let mut bytes = Vec::new();
    bytes
        .try_reserve_exact(capacity)
        .map_err(|_| "it is too large to read into memory".to_owned())?;
    reader
        .take(expected)
        .read_to_end(&mut bytes)
        .map_err(|error| in_words(&error))?;
    let mut probe = [0u8; 1];
    let more = reader.read(&mut probe).map_err(|error| in_words(&error))?;
    if bytes.len() as u64 != expected || more > 0 {
        let got = if more > 0 {
            "more".to_owned()
        } else {
            bytes.len().to_string()
        };
        return Err(format!(
            "it changed while it was being read ({expected} bytes when opened, {got} read); try again when it is done"
        ));
    }
    Ok(bytes)
}

fn nonblocking_flag() -> i32 {
    i32::try_from(rustix::fs::OFlags::NONBLOCK.bits()).unwrap_or(0)
}

/// Opens a file for reading without following it if it is a FIFO.
pub(super) fn open_nonblocking(path: &Path) -> std::io::Result<File> {
    OpenOptions::new()
        .read(true)
        .custom_flags(nonblocking_flag())
        .open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_a_missing_file_and_devices_are_refused_in_words() {
        let folder = tempfile::tempdir().unwrap();
        let error = read_bytes(folder.path()).unwrap_err();
        assert!(error.to_string().contains("it is a folder"), "{error}");
        let error = read_bytes(&folder.path().join("missing.txt")).unwrap_err();
        assert!(error.to_string().contains("does not exist"), "{error}");
        let error = read_bytes(Path::new("/dev/zero")).unwrap_err();
        assert!(error.to_string().contains("device"), "{error}");
        let file = folder.path().join("file");
        std::fs::write(&file, b"x").unwrap();
        let error = read_bytes(&file.join("inside")).unwrap_err();
        assert!(
            error.to_string().contains("a part of the path is a file, not a folder"),
            "{error}"
        );
    }

    #[test]
    fn a_fifo_is_refused_without_blocking() {
        let folder = tempfile::tempdir().unwrap();
        let fifo = folder.path().join("pipe");
        if rustix::fs::mknodat(
            rustix::fs::CWD,
            &fifo,
            rustix::fs::FileType::Fifo,
            rustix::fs::Mode::RUSR | rustix::fs::Mode::WUSR,
            0,
        )
        .is_err()
        {
            eprintln!("skipped: this file system cannot make a FIFO");
            return;
        }
        let error = read_bytes(&fifo).unwrap_err();
        assert!(error.to_string().contains("named pipe"), "{error}");
    }

    #[test]
    fn a_file_that_shrinks_or_grows_while_read_is_an_error() {
        let shrunk = read_exactly(&mut &b"12345"[..], 8).unwrap_err();
        assert!(shrunk.contains("8 bytes when opened, 5 read"), "{shrunk}");
        let grown = read_exactly(&mut &b"123456789"[..], 8).unwrap_err();
        assert!(grown.contains("8 bytes when opened, more read"), "{grown}");
        assert_eq!(read_exactly(&mut &b"12345678"[..], 8).unwrap(), b"12345678");
    }

    #[test]
    fn the_state_of_what_was_read_is_returned() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("f.txt");
        std::fs::write(&path, b"hello").unwrap();
        let read = read(&path).unwrap();
        assert_eq!(read.bytes, b"hello");
        assert_eq!(read.state.len, 5);
        assert!(read.state.is_untouched(&std::fs::metadata(&path).unwrap()));
    }
}
