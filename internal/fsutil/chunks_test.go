package fsutil

import (
	"bytes"
	"errors"
	"testing"
)

// chunkWriter records the calls made to it.
type chunkWriter struct {
	calls []int
	got   bytes.Buffer
	fail  int // the call that fails, from 1; 0: none
}

func (w *chunkWriter) Write(p []byte) (int, error) {
	w.calls = append(w.calls, len(p))
	if len(w.calls) == w.fail {
		return 0, errors.New("disk full")
	}
	return w.got.Write(p)
}

func TestWriteChunks(t *testing.T) {
	for _, size := range []int{0, 1, WriteChunk - 1, WriteChunk, WriteChunk + 1, 5*WriteChunk + 17} {
		data := make([]byte, size)
		for i := range data {
			data[i] = byte(i * 7)
		}
		var w chunkWriter
		if err := WriteChunks(&w, data); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(w.got.Bytes(), data) {
			t.Errorf("%d bytes: wrote %d other bytes", size, w.got.Len())
		}
		if want := (size + WriteChunk - 1) / WriteChunk; len(w.calls) != want {
			t.Errorf("%d bytes: %d calls %v, want %d", size, len(w.calls), w.calls, want)
		}
		for _, n := range w.calls {
			if n > WriteChunk || n == 0 {
				t.Errorf("%d bytes: a call of %d", size, n)
			}
		}
	}
	w := chunkWriter{fail: 2}
	if err := WriteChunks(&w, make([]byte, 3*WriteChunk)); err == nil || len(w.calls) != 2 {
		t.Errorf("a failed write: %v after %d calls, want its error after 2", err, len(w.calls))
	}
}
