/**
 * One XSLT 1.0 stylesheet for RSS and Atom: browsers that still apply `xml-stylesheet` show a
 * readable page instead of raw XML. A progressive extra only: browsers are dropping XSLT, the
 * HTML page (linked from here) is the real human view.
 */
export const FEED_XSLT = `<?xml version="1.0" encoding="utf-8"?>
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:atom="http://www.w3.org/2005/Atom" exclude-result-prefixes="atom">
  <xsl:output method="html" encoding="utf-8" indent="yes" doctype-system="about:legacy-compat"/>
  <xsl:template match="/">
    <xsl:variable name="title" select="rss/channel/title | atom:feed/atom:title"/>
    <xsl:variable name="page" select="rss/channel/atom:link[@rel='related'][@type='text/html']/@href | atom:feed/atom:link[@rel='related'][@type='text/html']/@href"/>
    <html>
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="$title"/> (feed)</title>
        <style>body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem}.note{border:1px solid #ccc;border-radius:.5rem;padding:1rem;background:#f7f7f7}article{border-top:1px solid #ddd;padding:.5rem 0}</style>
      </head>
      <body>
        <p class="note">This is a web feed. Copy this page's address into your feed reader to subscribe.
          <xsl:if test="$page"> <a href="{$page}">Open the readable page</a>.</xsl:if></p>
        <h1><xsl:value-of select="$title"/></h1>
        <xsl:for-each select="rss/channel/item">
          <article><h2><a href="{link}"><xsl:value-of select="title"/></a></h2><p><xsl:value-of select="pubDate"/></p></article>
        </xsl:for-each>
        <xsl:for-each select="atom:feed/atom:entry">
          <article><h2><a href="{atom:link[not(@rel) or @rel='alternate']/@href}"><xsl:value-of select="atom:title"/></a></h2><p><xsl:value-of select="atom:published"/></p></article>
        </xsl:for-each>
      </body>
    </html>
  </xsl:template>
</xsl:stylesheet>
`;
