package importer

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
)

// A draft carries, on its second line, the hash of what follows it. An
// import may replace a draft whose content still matches (nobody edited
// it), and nothing else: an edited draft is a person's work.

const sealPrefix = "# sgc-draft sha256:"

// seal inserts the hash line after the draft's first line (DraftHeader).
func seal(src []byte) []byte {
	first, rest, _ := bytes.Cut(src, []byte("\n"))
	sum := sha256.Sum256(rest)
	var b bytes.Buffer
	b.Write(first)
	b.WriteString("\n" + sealPrefix + hex.EncodeToString(sum[:]) + "\n")
	b.Write(rest)
	return b.Bytes()
}

// IsDraft reports whether data starts like a draft sgc import wrote.
func IsDraft(data []byte) bool { return bytes.HasPrefix(data, []byte(DraftHeader)) }

// Unedited reports whether data is a draft sgc import wrote and nobody has
// changed since: its hash line matches the rest of the file.
func Unedited(data []byte) bool {
	if !IsDraft(data) {
		return false
	}
	_, rest, _ := bytes.Cut(data, []byte("\n"))
	hashLine, body, ok := bytes.Cut(rest, []byte("\n"))
	if !ok || !bytes.HasPrefix(hashLine, []byte(sealPrefix)) {
		return false
	}
	sum := sha256.Sum256(body)
	return string(hashLine[len(sealPrefix):]) == hex.EncodeToString(sum[:])
}
