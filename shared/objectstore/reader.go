package objectstore

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"net/http"
	"strconv"
	"strings"
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Reader reads one generation of an object as stored (a stored
// Content-Encoding is not decoded).
type Reader struct {
	// Size is the size of the whole object, also for a range.
	Size int64

	open    func(seen int64) (*http.Response, error)
	body    io.ReadCloser
	seen    int64
	pending error // a read error held back while its bytes are handed over
	whole   bool  // a whole read: the CRC32C is checked at the end
	crc     uint32
	want    uint32
	hasCRC  bool
}

// NewReader reads generation of object whole. ErrNotExist if that
// generation does not exist.
func (b *Bucket) NewReader(ctx context.Context, object string, generation int64) (*Reader, error) {
	return b.newReader(ctx, object, generation, 0, -1)
}

// NewRangeReader reads at most length bytes of generation of object from
// offset (length > 0).
func (b *Bucket) NewRangeReader(ctx context.Context, object string, generation, offset, length int64) (*Reader, error) {
	if length <= 0 {
		return nil, fmt.Errorf("objectstore: range of %d bytes", length)
	}
	return b.newReader(ctx, object, generation, offset, length)
}

func (b *Bucket) newReader(ctx context.Context, object string, generation, offset, length int64) (*Reader, error) {
	u := b.objectXMLURL(object) + "?generation=" + strconv.FormatInt(generation, 10)
	r := &Reader{whole: offset == 0 && length < 0}
	r.open = func(seen int64) (*http.Response, error) {
		start := offset + seen
		return b.c.do(ctx, "read", func() (*http.Request, error) {
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
			if err != nil {
				return nil, err
			}
			// Set by hand, so net/http does not decode a gzip body.
			req.Header.Set("Accept-Encoding", "gzip")
			switch {
			case length > 0:
				req.Header.Set("Range", fmt.Sprintf("bytes=%d-%d", start, offset+length-1))
			case start > 0:
				req.Header.Set("Range", fmt.Sprintf("bytes=%d-", start))
			}
			return req, nil
		})
	}
	res, err := r.open(0)
	if err != nil {
		return nil, err
	}
	if err := r.parse(res); err != nil {
		_ = res.Body.Close()
		return nil, err
	}
	r.body = res.Body
	return r, nil
}

// parse reads the object's size and CRC32C from the first answer.
func (r *Reader) parse(res *http.Response) error {
	r.Size = res.ContentLength
	if res.StatusCode == http.StatusPartialContent {
		cr := strings.TrimSpace(res.Header.Get("Content-Range"))
		i := strings.LastIndex(cr, "/")
		if !strings.HasPrefix(cr, "bytes ") || i < 0 {
			return fmt.Errorf("objectstore: invalid Content-Range %q", cr)
		}
		size, err := strconv.ParseInt(cr[i+1:], 10, 64)
		if err != nil {
			return fmt.Errorf("objectstore: invalid Content-Range %q: %w", cr, err)
		}
		r.Size = size
		r.whole = false
	}
	// No check when the server decoded a gzip-stored object (it never
	// should, Accept-Encoding: gzip): the CRC32C is of the stored bytes.
	decoded := res.Header.Get("X-Goog-Stored-Content-Encoding") == "gzip" && res.Header.Get("Content-Encoding") != "gzip"
	if r.whole && !decoded {
		r.want, r.hasCRC = crc32cOf(res.Header)
	}
	return nil
}

// crc32cOf reads the crc32c=<base64> value of X-Goog-Hash.
func crc32cOf(h http.Header) (uint32, bool) {
	for _, v := range h.Values("X-Goog-Hash") {
		for part := range strings.SplitSeq(v, ",") {
			enc, ok := strings.CutPrefix(strings.TrimSpace(part), "crc32c=")
			if !ok {
				continue
			}
			b, err := base64.StdEncoding.DecodeString(enc)
			if err != nil || len(b) != 4 {
				return 0, false
			}
			return binary.BigEndian.Uint32(b), true
		}
	}
	return 0, false
}

// Read reads on; a read that breaks off is resumed where it stopped.
func (r *Reader) Read(p []byte) (int, error) {
	if r.pending != nil {
		err := r.pending
		r.pending = nil
		if err = r.resume(err); err != nil {
			return 0, err
		}
	}
	for {
		n, err := r.body.Read(p)
		r.seen += int64(n)
		if r.hasCRC {
			r.crc = crc32.Update(r.crc, castagnoli, p[:n])
		}
		switch {
		case err == nil:
			return n, nil
		case err == io.EOF:
			if r.hasCRC && r.crc != r.want {
				return n, fmt.Errorf("objectstore: bad CRC32C on read: got %d, want %d", r.crc, r.want)
			}
			return n, io.EOF
		case n > 0:
			// Hand over what arrived; the next Read resumes (or fails).
			r.pending = err
			return n, nil
		}
		if err := r.resume(err); err != nil {
			return 0, err
		}
	}
}

// resume reopens the read after the bytes seen when err is transient,
// else returns err.
func (r *Reader) resume(err error) error {
	if !transient(err) {
		return err
	}
	_ = r.body.Close()
	res, oerr := r.open(r.seen)
	if oerr != nil {
		r.body = http.NoBody
		return oerr
	}
	if r.seen > 0 && res.StatusCode != http.StatusPartialContent {
		drain(res)
		r.body = http.NoBody
		return fmt.Errorf("objectstore: resumed read answered %d, not 206", res.StatusCode)
	}
	r.body = res.Body
	return nil
}

// Close releases the connection.
func (r *Reader) Close() error { return r.body.Close() }
