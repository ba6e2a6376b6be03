// Package fsutil holds the file primitives of sgc's one writer
// (internal/outdir) and its readers: a file is written so that a reader
// never sees half of one (the data goes to a temporary file beside the
// target, synced, then renamed over it; a crash or an error leaves the
// old file as it was), read bounded, and recognised as generated.
package fsutil

import (
	"os"
	"path/filepath"
)

// WriteFileAtomic replaces path with data. The file keeps its mode when it
// exists, and gets perm otherwise.
func WriteFileAtomic(path string, data []byte, perm os.FileMode) (err error) {
	if info, statErr := os.Stat(path); statErr == nil {
		perm = info.Mode().Perm()
	}
	return writeAtomic(path, data, perm, nil)
}

// writeAtomic writes data to a temporary file beside path, with perm and
// whatever prepare does to it, syncs it and renames it over path.
func writeAtomic(path string, data []byte, perm os.FileMode, prepare func(*os.File) error) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = WriteChunks(tmp, data); err != nil {
		return err
	}
	if err = tmp.Chmod(perm); err != nil {
		return err
	}
	if prepare != nil {
		if err = prepare(tmp); err != nil {
			return err
		}
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// WriteFileLike replaces path with data, atomically. The file gets the
// mode and, where the system allows it, the owner of the file like
// describes (the one it replaces); 0644 when like is nil.
func WriteFileLike(path string, data []byte, like os.FileInfo) error {
	if like == nil {
		return writeAtomic(path, data, 0o644, nil)
	}
	return writeAtomic(path, data, like.Mode().Perm(), func(tmp *os.File) error { return keepOwner(tmp, like) })
}
