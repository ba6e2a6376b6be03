package outdir

import (
	"encoding/json"
	"fmt"
	"path/filepath"

	"github.com/sgc-dev/sgc/internal/fsutil"
)

// Journals written by sgc before this package (build's own writer) name
// the files to remove without sums and carry the build's manifest inline.
// A write killed after its commit point and then finished by a newer sgc
// is still finished, by the rule of the build that left it (kind
// "build:TARGET"): what it replaces or removes is held to that rule alone,
// as that writer held it.

type legacyManifest struct {
	Target string            `json:"target"`
	Files  []string          `json:"files"`
	Sums   map[string]string `json:"sums,omitempty"`
}

type legacyJournalFile struct {
	Stage    string         `json:"stage"`
	Remove   []string       `json:"remove"`
	Manifest legacyManifest `json:"manifest"`
}

// decodeJournal reads either form of journal.
func decodeJournal(data []byte) (journal, error) {
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(data, &probe); err != nil {
		return journal{}, err
	}
	if _, old := probe["manifest"]; !old {
		var j journal
		err := json.Unmarshal(data, &j)
		return j, err
	}
	var old legacyJournalFile
	if err := json.Unmarshal(data, &old); err != nil {
		return journal{}, err
	}
	if !PlainName(old.Manifest.Target) || len(old.Manifest.Files) > MaxFiles {
		return journal{}, fmt.Errorf("not a journal")
	}
	j := journal{Kind: "build:" + old.Manifest.Target, Stage: old.Stage, Manifest: &old.Manifest}
	for _, name := range old.Manifest.Files {
		j.Files = append(j.Files, entry{Name: name, Sum: old.Manifest.Sums[name], Replaces: anySum})
	}
	for _, name := range old.Remove {
		j.Remove = append(j.Remove, entry{Name: name, Sum: anySum})
	}
	return j, nil
}

// writeLegacyManifest records the manifest a legacy journal carries, where
// that sgc kept it.
func writeLegacyManifest(state string, m *legacyManifest) error {
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return fsutil.WriteFileAtomic(filepath.Join(state, m.Target+".json"), append(data, '\n'), 0o644)
}
