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
	"github.com/sgc-dev/sgc/internal/outdir"
)

// adoptHeader begins every mapping file import writes.
const adoptHeader = "Written by sgc import"

// Write puts the drafts and their mapping files into dir as one set
// (internal/outdir), following the ownership rule of drafts: a draft
// replaces only a draft import wrote and nobody has edited (force: edited
// ones too), never another file; a mapping, or the removed blocks of a
// migration, replaces only one import wrote (or anything, with force). Every file is checked before any is written,
// so a refusal changes nothing, and a killed run leaves the old files or
// is finished by the next. written says, for people, what was written.
func Write(dir string, drafts []Draft, migration *Migration, force bool) (written []string, err error) {
	set := outdir.Set{Kind: "import"}
	mappings := map[string]bool{}
	var said []string
	headers := map[string]string{} // a migration's files -> how import begins them
	if migration != nil {
		for _, f := range migration.Files {
			set.Files = append(set.Files, outdir.File{Name: f.Name, Data: f.Data})
			headers[f.Name] = f.Header
			said = append(said, fmt.Sprintf("%s (%s)", filepath.Join(dir, f.Name), f.What))
		}
	}
	for _, d := range drafts {
		set.Files = append(set.Files, outdir.File{Name: d.File, Data: d.Source})
		said = append(said, filepath.Join(dir, d.File))
		if d.Adopt.Empty() {
			continue
		}
		header := fmt.Sprintf(adoptHeader+" for %s.\nsgc build reads it: the groups and rules below are adopted (Terraform import blocks,\na CloudFormation resources-to-import file) instead of created anew. Review it with the draft.", d.File)
		set.Files = append(set.Files, outdir.File{Name: d.AdoptFile(), Data: adopt.Write(d.Adopt, header)})
		mappings[d.AdoptFile()] = true
		said = append(said, fmt.Sprintf("%s (%d groups, %d rules to adopt)", filepath.Join(dir, d.AdoptFile()), len(d.Adopt.Groups), len(d.Adopt.Rules)))
	}
	set.Rule = outdir.Fixed("import", func(name string, e outdir.Existing) (string, error) {
		header, migrated := headers[name]
		if !mappings[name] && !migrated {
			return DraftClaim(force)(name, e)
		}
		if force {
			return "", nil
		}
		if !migrated {
			header = "# " + adoptHeader
		}
		if head, _, err := fsutil.Head(e.Path); err == nil && (header == "" || !bytes.HasPrefix(head, []byte(header))) {
			return "", &fsutil.NotOursError{Reason: "was not written by sgc import", Hint: "use --force to replace it"}
		}
		return "", nil
	})
	if err := outdir.Write(dir, set); err != nil {
		return nil, err
	}
	return said, nil
}

// DraftClaim is the ownership rule of drafts: a path is a draft's to
// write when nothing is there (the writer asks only about files that
// exist) or an unedited draft is (or an edited one, with force).
func DraftClaim(force bool) outdir.Claim {
	return func(name string, e outdir.Existing) (string, error) { return "", checkDraft(e.Path, force) }
}

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
