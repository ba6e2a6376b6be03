package load

import (
	"bufio"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"strings"
)

// gitBlobs reads the files names (relative to the working directory) as
// they are at commit rev, with one `git cat-file --batch` for them all: a
// git process a file made a policy of a thousand files cost a thousand
// processes. Each file is refused over max bytes before it is read, as in
// the working tree.
func gitBlobs(rev string, names []string, max int64) (map[string][]byte, error) {
	out := make(map[string][]byte, len(names))
	var batch []string
	for _, n := range names {
		if strings.Contains(n, "\n") {
			// cat-file takes a name a line: such a name is asked alone,
			// its size first.
			object := rev + ":./" + n
			sz, err := git("cat-file", "-s", object)
			if err != nil {
				return nil, err
			}
			if size, err := strconv.ParseInt(strings.TrimSpace(sz), 10, 64); err != nil || size > max {
				return nil, tooLarge(rev, n, size, max)
			}
			data, err := git("cat-file", "blob", object)
			if err != nil {
				return nil, err
			}
			out[n] = []byte(data)
			continue
		}
		batch = append(batch, n)
	}
	if len(batch) == 0 {
		return out, nil
	}
	cmd := exec.Command("git", "cat-file", "--batch")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("git cat-file: %v", err)
	}
	go func() { // the names go in while the files come out
		w := bufio.NewWriter(stdin)
		for _, n := range batch {
			w.WriteString(rev + ":./" + n + "\n")
		}
		w.Flush()
		stdin.Close()
	}()
	read := func() error {
		r := bufio.NewReaderSize(stdout, 64<<10)
		for _, n := range batch {
			// "<id> <type> <size>", or "<name> missing".
			header, err := r.ReadString('\n')
			if err != nil {
				return fmt.Errorf("git cat-file: %s at %s: %v %s", n, rev, err, strings.TrimSpace(stderr.String()))
			}
			f := strings.Fields(header)
			if len(f) != 3 || f[1] != "blob" {
				if len(f) == 3 && !strings.HasSuffix(header, " missing\n") {
					return fmt.Errorf("%s at revision %s is a %s, not a file", n, rev, f[1])
				}
				return fmt.Errorf("%s at revision %s could not be read: git cat-file says %q", n, rev, strings.TrimSpace(header))
			}
			size, err := strconv.ParseInt(f[2], 10, 64)
			if err != nil || size < 0 {
				return fmt.Errorf("git cat-file: %s at %s: size %q", n, rev, f[2])
			}
			if size > max {
				return tooLarge(rev, n, size, max)
			}
			data := make([]byte, size+1) // and the line feed that ends it
			if _, err := io.ReadFull(r, data); err != nil {
				return fmt.Errorf("git cat-file: %s at %s: %v", n, rev, err)
			}
			out[n] = data[:size:size]
		}
		return nil
	}
	if err := read(); err != nil {
		cmd.Process.Kill() // what is left unread is not wanted
		cmd.Wait()
		return nil, err
	}
	if err := cmd.Wait(); err != nil {
		return nil, fmt.Errorf("git cat-file: %v %s", err, strings.TrimSpace(stderr.String()))
	}
	return out, nil
}

// tooLarge is the error of a file over the size sgc reads.
func tooLarge(rev, name string, size, max int64) error {
	return fmt.Errorf("%s at revision %s is %d bytes; sgc reads at most %d MiB", name, rev, size, max>>20)
}
