package importer

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/sgc-dev/sgc/config/adopt"
	"github.com/sgc-dev/sgc/internal/fsutil"
)

// adoptHeader begins every mapping file import writes.
const adoptHeader = "Written by sgc import"

// Write puts the drafts and their mapping files into dir, following the
// ownership rule of drafts: a draft replaces only a draft import wrote
// and nobody has edited (force: edited ones too), never another file; a
// mapping replaces only one import wrote (or anything, with force). Every
// file is checked before any is written, so a refusal changes nothing.
// written says, for people, what was written.
func Write(dir string, drafts []Draft, force bool) (written []string, err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	for _, d := range drafts {
		if err := checkDraft(filepath.Join(dir, d.File), force); err != nil {
			return nil, err
		}
		if !d.Adopt.Empty() && !force {
			mapping := filepath.Join(dir, d.AdoptFile())
			if head, _, err := fsutil.Head(mapping); err == nil && !bytes.HasPrefix(head, []byte("# "+adoptHeader)) {
				return nil, &fsutil.NotOursError{Path: mapping, Reason: "was not written by sgc import", Hint: "use --force to replace it"}
			}
		}
	}
	for _, d := range drafts {
		path := filepath.Join(dir, d.File)
		if err := fsutil.WriteFileAtomic(path, d.Source, 0o644); err != nil {
			return written, err
		}
		written = append(written, path)
		if d.Adopt.Empty() {
			continue
		}
		mapping := filepath.Join(dir, d.AdoptFile())
		header := fmt.Sprintf(adoptHeader+" for %s.\nsgc build reads it: the groups and rules below are adopted (Terraform import blocks,\na CloudFormation resources-to-import file) instead of created anew. Review it with the draft.", d.File)
		if err := fsutil.WriteFileAtomic(mapping, adopt.Write(d.Adopt, header), 0o644); err != nil {
			return written, err
		}
		written = append(written, fmt.Sprintf("%s (%d groups, %d rules to adopt)", mapping, len(d.Adopt.Groups), len(d.Adopt.Rules)))
	}
	return written, nil
}

// CheckDraftPath says whether a draft may be written at path: nothing
// there, or an unedited draft (or an edited one, with force).
func CheckDraftPath(path string, force bool) error { return checkDraft(path, force) }

func checkDraft(path string, force bool) error {
	head, regular, err := fsutil.Head(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return err
	case !regular || !IsDraft(head):
		return &fsutil.NotOursError{Path: path, Reason: "was not drafted by sgc import"}
	case force:
		return nil
	}
	old, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if !Unedited(old) {
		return &fsutil.NotOursError{Path: path, Reason: "is a draft someone has edited since sgc import wrote it", Hint: "use --force to replace it"}
	}
	return nil
}
