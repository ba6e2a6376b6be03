package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// logFiles expands arguments naming log files (CloudTrail's, flow logs):
// a file stands for itself; a directory for the regular files under it
// that keep takes, sorted, its hidden directories left out when
// skipHidden; a directory with none is an error saying it "none".
func logFiles(args []string, keep func(path string) bool, skipHidden bool, none string) ([]string, error) {
	var out []string
	for _, a := range args {
		info, err := os.Stat(a)
		if err != nil {
			return nil, err
		}
		if !info.IsDir() {
			out = append(out, a)
			continue
		}
		var found []string
		err = filepath.WalkDir(a, func(path string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if skipHidden && d.IsDir() && path != a && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			if d.Type().IsRegular() && keep(path) {
				found = append(found, path)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		if len(found) == 0 {
			return nil, fmt.Errorf("%s %s", a, none)
		}
		sort.Strings(found)
		out = append(out, found...)
	}
	return out, nil
}
