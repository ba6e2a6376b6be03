//go:build unix

package fsutil

import (
	"os"
	"syscall"
)

// keepOwner gives f the owner and group of the file described by info. A
// user who may not give files away (anyone but root, for another owner)
// keeps the file as their own: the rewrite still succeeds.
func keepOwner(f *os.File, info os.FileInfo) error {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return nil
	}
	if err := f.Chown(int(st.Uid), int(st.Gid)); err != nil && os.Geteuid() == 0 {
		return err
	}
	return nil
}

// KeepOwner gives f the owner and group of the file described by info,
// where the system allows it: a regenerated file stays its owner's.
func KeepOwner(f *os.File, info os.FileInfo) error { return keepOwner(f, info) }
