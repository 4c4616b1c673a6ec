# Reads one RSS or Atom file with Ruby's standard `rss` library and prints what it exposes as JSON.
require 'rss'
require 'json'
require 'time'
feed = RSS::Parser.parse(File.read(ARGV[0]), false)
iso = ->(t) { t && Time.parse(t.to_s).utc.iso8601 }
out = { library: 'ruby rss' }
if feed.is_a?(RSS::Atom::Feed)
  alt = ->(links) { (links.find { |l| l.rel.nil? || l.rel == 'alternate' })&.href }
  out[:title] = feed.title.content
  out[:link] = alt.call(feed.links)
  out[:items] = feed.entries.map do |e|
    enc = e.links.find { |l| l.rel == 'enclosure' }
    { id: e.id.content, title: e.title.content, link: alt.call(e.links),
      published: iso.call(e.published&.content), updated: iso.call(e.updated&.content),
      authors: e.authors.map { |a| a.name.content }, image: enc&.href }
  end
else
  ch = feed.channel
  out[:title] = ch.title
  out[:link] = ch.link
  out[:items] = feed.items.map do |i|
    { id: i.guid&.content, title: i.title, link: i.link, published: iso.call(i.pubDate),
      authors: i.dc_creators.map(&:content), image: i.enclosure&.url }
  end
end
puts JSON.generate(out)
