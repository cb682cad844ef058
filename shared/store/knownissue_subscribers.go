package store

import (
	"context"
	"encoding/hex"
	"fmt"
	mrand "math/rand/v2"
	"slices"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"cloud.google.com/go/firestore"
	"cloud.google.com/go/firestore/apiv1/firestorepb"
)

// Subscribers of a known issue live in hash-chosen bucket documents:
//
//	knownIssues/{id}/subscriberBuckets/{b}     head of bucket b ("000" … "127")
//	knownIssues/{id}/subscriberBuckets/{b}-{n} its n-th overflow document
//
// Each document holds at most SubscriberBucketCap subscribers in a map
// keyed by the subscriber key (MembershipKey of the address), their count
// n, and (the head) how many overflow documents follow.
//
// Why. A subscriber's bucket is the first byte pair of its key modulo
// SubscriberBuckets, so "me too" clicks spread evenly over 128 documents
// instead of colliding on one: a burst of C concurrent clicks contends on
// about C/128 per document, and Firestore's sustained rate of about one
// write per second per document allows ~128 subscriptions a second per
// issue before transactions start waiting on each other. Each
// subscription is a transaction that reads its bucket and adds the entry
// only if it is absent, so concurrent clicks on one bucket serialise
// (Firestore retries the loser) and none is lost or counted twice; a
// repeated click finds the entry and writes nothing.
//
// Reading every subscriber costs one read per document: SubscriberBuckets
// heads plus one per overflow document, i.e. max(128, N/~1000) — 128 reads
// for 100,000 subscribers (~780 per bucket), ~N/1000 beyond 128,000. A
// document's size stays bounded (1,500 entries of ~150 bytes ≈ 225 KB, far
// below Firestore's 1 MiB), whatever N.
const (
	SubscriberBucketsCollection = "subscriberBuckets"
	SubscriberBuckets           = 128
	SubscriberBucketCap         = 1500
)

// Subscriber is one person subscribed to a known issue.
type Subscriber struct {
	Email string `firestore:"email"`
	// OrgID is the customer organisation the person subscribed through
	// (where their linked case is); ViaOrgID the organisation of their
	// membership (OrgID itself, or its reseller).
	OrgID    string    `firestore:"orgId"`
	ViaOrgID string    `firestore:"viaOrgId"`
	Capacity string    `firestore:"capacity"` // CUSTOMER | RESELLER
	Lang     string    `firestore:"lang"`     // e-mail language (mail.Lang)
	Time     time.Time `firestore:"time"`
	// Key is the map key (not stored inside the entry).
	Key string `firestore:"-"`
}

// bucketDoc is one subscriber bucket document.
type bucketDoc struct {
	Subs  map[string]*Subscriber `firestore:"subs"`
	N     int                    `firestore:"n"`
	Links int                    `firestore:"links,omitempty"` // head only
}

// SubscriberKey is the key of email's subscription (its membership key).
func SubscriberKey(email string) string { return MembershipKey(email) }

// SubscriberBucket is the bucket of a subscriber key.
func SubscriberBucket(key string) int {
	b, err := hex.DecodeString(key[:min(4, len(key))])
	if err != nil || len(b) < 2 {
		return 0
	}
	return (int(b[0])<<8 | int(b[1])) % SubscriberBuckets
}

func bucketDocID(bucket, link int) string {
	if link == 0 {
		return fmt.Sprintf("%03d", bucket)
	}
	return fmt.Sprintf("%03d-%d", bucket, link)
}

func (s *Store) bucketRef(issueID string, bucket, link int) *firestore.DocumentRef {
	return s.knownIssueRef(issueID).Collection(SubscriberBucketsCollection).Doc(bucketDocID(bucket, link))
}

// bucketDocs are a bucket's documents as read in a transaction or batch.
type bucketDocs struct {
	refs []*firestore.DocumentRef
	docs []*bucketDoc // nil where a document does not exist (only the head may be missing)
}

func decodeBucket(snap *firestore.DocumentSnapshot) (*bucketDoc, error) {
	if !snap.Exists() {
		return nil, nil
	}
	d, err := decode[bucketDoc](snap, "subscriber bucket")
	if err != nil {
		return nil, err
	}
	if d.Subs == nil {
		d.Subs = map[string]*Subscriber{}
	}
	return d, nil
}

// readBucketTx reads a bucket's head and overflow documents in tx.
func (s *Store) readBucketTx(tx *firestore.Transaction, issueID string, bucket int) (*bucketDocs, error) {
	head := s.bucketRef(issueID, bucket, 0)
	snap, err := tx.Get(head)
	if err != nil && !IsNotFound(err) {
		return nil, err
	}
	hd, err := decodeBucket(snap)
	if err != nil {
		return nil, err
	}
	out := &bucketDocs{refs: []*firestore.DocumentRef{head}, docs: []*bucketDoc{hd}}
	if hd == nil || hd.Links == 0 {
		return out, nil
	}
	refs := make([]*firestore.DocumentRef, hd.Links)
	for i := range refs {
		refs[i] = s.bucketRef(issueID, bucket, i+1)
	}
	snaps, err := tx.GetAll(refs)
	if err != nil {
		return nil, err
	}
	for i, sn := range snaps {
		d, err := decodeBucket(sn)
		if err != nil {
			return nil, err
		}
		if d == nil {
			d = &bucketDoc{Subs: map[string]*Subscriber{}}
		}
		out.refs, out.docs = append(out.refs, refs[i]), append(out.docs, d)
	}
	return out, nil
}

// find returns the index of the document holding key, or -1.
func (b *bucketDocs) find(key string) int {
	for i, d := range b.docs {
		if d != nil && d.Subs[key] != nil {
			return i
		}
	}
	return -1
}

// Subscribe adds sub to issue issueID's subscribers unless the person
// (sub.Key, set from sub.Email) is subscribed already: one transaction on
// the person's bucket (run again, after a short random pause, when
// concurrent clicks on the same bucket abort it: RetryContention). It
// reports whether the subscription is new and how many times the
// transaction ran (1 = no contention). Reads: 1 (plus the
// bucket's overflow documents, none below ~128,000 subscribers). Writes: 1
// when new (2 when it opens an overflow document), 0 otherwise.
func (s *Store) Subscribe(ctx context.Context, issueID string, sub Subscriber) (added bool, attempts int, err error) {
	sub.Key = SubscriberKey(sub.Email)
	sub.Email = NormalizeEmail(sub.Email)
	bucket := SubscriberBucket(sub.Key)
	err = RetryContention(ctx, func() error {
		return s.fs.RunTransaction(ctx, func(_ context.Context, tx *firestore.Transaction) error {
			attempts++
			added = false
			b, err := s.readBucketTx(tx, issueID, bucket)
			if err != nil {
				return err
			}
			if b.find(sub.Key) >= 0 {
				return nil
			}
			added = true
			entry := firestore.Update{FieldPath: firestore.FieldPath{"subs", sub.Key}, Value: &sub}
			count := firestore.Update{Path: "n", Value: firestore.Increment(1)}
			if b.docs[0] == nil {
				return tx.Create(b.refs[0], bucketDoc{Subs: map[string]*Subscriber{sub.Key: &sub}, N: 1})
			}
			for i, d := range b.docs {
				if d.N < SubscriberBucketCap {
					return tx.Update(b.refs[i], []firestore.Update{entry, count})
				}
			}
			// Every document of the bucket is full: open the next overflow one.
			link := len(b.docs)
			if err := tx.Create(s.bucketRef(issueID, bucket, link), bucketDoc{Subs: map[string]*Subscriber{sub.Key: &sub}, N: 1}); err != nil {
				return err
			}
			return tx.Update(b.refs[0], []firestore.Update{{Path: "links", Value: link}})
		})
	})
	if err != nil {
		return false, attempts, fmt.Errorf("subscribe to known issue %s: %w", issueID, err)
	}
	return added, attempts, nil
}

// Unsubscribe removes the subscriber with key from issue issueID and
// returns it (nil when there was none). Reads: 1 (plus overflow
// documents). Writes: 1, or 0 when not subscribed.
func (s *Store) Unsubscribe(ctx context.Context, issueID, key string) (*Subscriber, error) {
	bucket := SubscriberBucket(key)
	var removed *Subscriber
	err := s.fs.RunTransaction(ctx, func(_ context.Context, tx *firestore.Transaction) error {
		removed = nil
		b, err := s.readBucketTx(tx, issueID, bucket)
		if err != nil {
			return err
		}
		i := b.find(key)
		if i < 0 {
			return nil
		}
		removed = b.docs[i].Subs[key]
		removed.Key = key
		return tx.Update(b.refs[i], []firestore.Update{
			{FieldPath: firestore.FieldPath{"subs", key}, Value: firestore.Delete},
			{Path: "n", Value: firestore.Increment(-1)},
		})
	})
	if err != nil {
		return nil, fmt.Errorf("unsubscribe from known issue %s: %w", issueID, err)
	}
	return removed, nil
}

// Subscription returns the subscriber with key of issue issueID, or nil.
// Reads: 1 (plus overflow documents).
func (s *Store) Subscription(ctx context.Context, issueID, key string) (*Subscriber, error) {
	subs, err := s.SubscriberBucketEntries(ctx, issueID, SubscriberBucket(key))
	if err != nil {
		return nil, err
	}
	i, ok := slices.BinarySearchFunc(subs, key, func(e *Subscriber, k string) int {
		switch {
		case e.Key < k:
			return -1
		case e.Key > k:
			return 1
		}
		return 0
	})
	if !ok {
		return nil, nil
	}
	return subs[i], nil
}

// SubscriberBucketEntries returns every subscriber of one bucket, ordered
// by key. Reads: 1 per document of the bucket (the head, plus overflow).
func (s *Store) SubscriberBucketEntries(ctx context.Context, issueID string, bucket int) ([]*Subscriber, error) {
	snap, err := s.bucketRef(issueID, bucket, 0).Get(ctx)
	if err != nil && !IsNotFound(err) {
		return nil, fmt.Errorf("get subscriber bucket: %w", err)
	}
	hd, err := decodeBucket(snap)
	if err != nil || hd == nil {
		return nil, err
	}
	docs := []*bucketDoc{hd}
	if hd.Links > 0 {
		refs := make([]*firestore.DocumentRef, hd.Links)
		for i := range refs {
			refs[i] = s.bucketRef(issueID, bucket, i+1)
		}
		snaps, err := s.fs.GetAll(ctx, refs)
		if err != nil {
			return nil, fmt.Errorf("get subscriber bucket overflow: %w", err)
		}
		for _, sn := range snaps {
			d, err := decodeBucket(sn)
			if err != nil {
				return nil, err
			}
			if d != nil {
				docs = append(docs, d)
			}
		}
	}
	var out []*Subscriber
	for _, d := range docs {
		for k, v := range d.Subs {
			if v == nil {
				continue
			}
			v.Key = k
			out = append(out, v)
		}
	}
	slices.SortFunc(out, func(a, b *Subscriber) int {
		switch {
		case a.Key < b.Key:
			return -1
		case a.Key > b.Key:
			return 1
		}
		return 0
	})
	return out, nil
}

// SubscriberCount is the number of subscribers of issue issueID: a sum
// aggregation over the bucket documents' counts (billed as one read per
// 1,000 documents scanned, so one read).
func (s *Store) SubscriberCount(ctx context.Context, issueID string) (int64, error) {
	q := s.knownIssueRef(issueID).Collection(SubscriberBucketsCollection).NewAggregationQuery().WithSum("n", "total")
	res, err := q.Get(ctx)
	if err != nil {
		return 0, fmt.Errorf("count subscribers: %w", err)
	}
	return aggregateInt(res["total"]), nil
}

// PutSubscriberBucket writes a whole bucket head (benchmarks and tests that
// seed many subscribers at once). One write.
func (s *Store) PutSubscriberBucket(ctx context.Context, issueID string, bucket int, subs []Subscriber) error {
	d := bucketDoc{Subs: make(map[string]*Subscriber, len(subs)), N: len(subs)}
	for i := range subs {
		sub := subs[i]
		sub.Key = SubscriberKey(sub.Email)
		if SubscriberBucket(sub.Key) != bucket {
			return fmt.Errorf("subscriber %s belongs to bucket %d, not %d", sub.Key, SubscriberBucket(sub.Key), bucket)
		}
		d.Subs[sub.Key] = &sub
	}
	if len(subs) > SubscriberBucketCap {
		return fmt.Errorf("bucket %d: %d subscribers, at most %d per document", bucket, len(subs), SubscriberBucketCap)
	}
	_, err := s.bucketRef(issueID, bucket, 0).Set(ctx, d)
	return err
}

// aggregateInt reads an aggregation result value (a *firestorepb.Value:
// an integer, or a double when the sum overflowed; nil when no document
// matched).
func aggregateInt(v any) int64 {
	pv, ok := v.(*firestorepb.Value)
	if !ok || pv == nil {
		return 0
	}
	switch x := pv.GetValueType().(type) {
	case *firestorepb.Value_IntegerValue:
		return x.IntegerValue
	case *firestorepb.Value_DoubleValue:
		return int64(x.DoubleValue)
	}
	return 0
}

// contentionAttempts bounds RetryContention.
const contentionAttempts = 10

// RetryContention runs fn (a transaction) again while Firestore aborts it
// because concurrent transactions hold the same documents, pausing a
// growing, random while between attempts (up to ~2.5 s in all), so a
// burst of clicks on one document drains instead of failing.
func RetryContention(ctx context.Context, fn func() error) error {
	var err error
	for i := range contentionAttempts {
		if err = fn(); status.Code(err) != codes.Aborted {
			return err
		}
		pause := time.Duration(10*(i+1)+mrand.IntN(40)) * time.Millisecond
		select {
		case <-ctx.Done():
			return err
		case <-time.After(pause):
		}
	}
	return err
}
