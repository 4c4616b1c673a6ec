#!/usr/bin/perl
# Reads one RSS or Atom file with Perl's XML::Feed and prints what it exposes as JSON.
use strict; use warnings;
use XML::Feed; use JSON::PP;
my ($file) = @ARGV;
my $feed = XML::Feed->parse($file) or die XML::Feed->errstr;
my $iso = sub { my $d = shift; return undef unless $d; $d->set_time_zone('UTC'); return $d->strftime('%Y-%m-%dT%H:%M:%SZ'); };
my @items;
for my $e ($feed->entries) {
  my $enc = eval { $e->enclosure };
  push @items, {
    id => $e->id, title => $e->title, link => $e->link,
    published => $iso->($e->issued), updated => $iso->($e->modified),
    # XML::Feed gives an RSS item's several dc:creator as one array reference, an Atom entry's first author.
    authors => [ map { ref $_ eq 'ARRAY' ? @$_ : $_ } grep { defined } ($e->author) ],
    image => $enc ? $enc->url : undef,
  };
}
print JSON::PP->new->canonical->encode({ library => 'perl XML::Feed', title => $feed->title, link => $feed->link, items => \@items }), "\n";
