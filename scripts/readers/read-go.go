// Reads one RSS, Atom or JSON Feed file with Go's gofeed (its universal parser) and prints what it
// exposes as JSON.
package main

import (
	"encoding/json"
	"os"
	"time"

	"github.com/mmcdole/gofeed"
)

type item struct {
	ID        string   `json:"id"`
	Title     string   `json:"title"`
	Link      string   `json:"link"`
	Published *string  `json:"published"`
	Updated   *string  `json:"updated"`
	Authors   []string `json:"authors"`
	Image     *string  `json:"image"`
}

func iso(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := t.UTC().Format("2006-01-02T15:04:05Z")
	return &s
}

func main() {
	f, err := os.Open(os.Args[1])
	if err != nil {
		panic(err)
	}
	feed, err := gofeed.NewParser().Parse(f)
	if err != nil {
		panic(err)
	}
	items := []item{}
	for _, i := range feed.Items {
		it := item{ID: i.GUID, Title: i.Title, Link: i.Link, Published: iso(i.PublishedParsed), Updated: iso(i.UpdatedParsed), Authors: []string{}}
		for _, a := range i.Authors {
			it.Authors = append(it.Authors, a.Name)
		}
		if i.Image != nil {
			it.Image = &i.Image.URL
		} else if len(i.Enclosures) > 0 {
			it.Image = &i.Enclosures[0].URL
		}
		items = append(items, it)
	}
	json.NewEncoder(os.Stdout).Encode(map[string]any{"library": "go gofeed", "title": feed.Title, "link": feed.Link, "items": items})
}
