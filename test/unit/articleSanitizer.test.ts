import { describe, expect, it } from 'vitest';
import { sanitizeArticleHtml } from '../../lambdas/core/article/sanitize.js';

const BASE = 'https://news.test.example/international/story';
const clean = (html: string) => sanitizeArticleHtml(html, BASE);

describe('sanitizeArticleHtml', () => {
  it('keeps right-to-left and language markup: dir and lang on every element, bdi and bdo', () => {
    const html = '<p dir="rtl" lang="ar">مرحبا <bdi>علي</bdi> و <bdo dir="ltr">abc</bdo></p><h2 lang="he" dir="rtl">שלום</h2><blockquote lang="fa">سلام</blockquote><ul dir="rtl"><li lang="ur">ہیلو</li></ul>';
    expect(clean(html)).toBe(html);
  });

  it('resolves every URL-bearing attribute against the article URL: href, src, each srcset candidate, poster, cite', () => {
    expect(clean('<img src="a.jpg" srcset="a-1x.jpg 1x, /img/a-2x.jpg 2x" alt="">')).toBe(
      '<img src="https://news.test.example/international/a.jpg" srcset="https://news.test.example/international/a-1x.jpg 1x, https://news.test.example/img/a-2x.jpg 2x" alt="" />',
    );
    expect(clean('<picture><source srcset="w.webp 480w,w2.webp 800w" type="image/webp" /><img src="w.jpg" /></picture>')).toBe(
      '<picture><source srcset="https://news.test.example/international/w.webp 480w, https://news.test.example/international/w2.webp 800w" type="image/webp" /><img src="https://news.test.example/international/w.jpg" /></picture>',
    );
    expect(clean('<img srcset="a.jpg?w=1,2 1x,b.jpg">')).toBe('<img srcset="https://news.test.example/international/a.jpg?w=1,2 1x, https://news.test.example/international/b.jpg" />');
    expect(clean('<video poster="p.jpg" src="v.mp4" controls></video>')).toBe('<video poster="https://news.test.example/international/p.jpg" src="https://news.test.example/international/v.mp4" controls></video>');
    expect(clean('<blockquote cite="/source">q</blockquote><q cite="../q">z</q><del cite="d">d</del><ins cite="i">i</ins><a href="more">m</a>')).toBe(
      '<blockquote cite="https://news.test.example/source">q</blockquote><q cite="https://news.test.example/q">z</q><del cite="https://news.test.example/international/d">d</del><ins cite="https://news.test.example/international/i">i</ins><a href="https://news.test.example/international/more">m</a>',
    );
  });

  it('still strips hostile content: scripts, iframes, handlers, styles, javascript: in any URL attribute', () => {
    const html = clean(
      '<p dir="rtl" onclick="x()" style="color:red">t<script>alert(1)</script></p><iframe src="https://evil.example"></iframe>' +
        '<a href="javascript:alert(1)">a</a><img src="x.png" srcset="javascript:alert(1) 1x, data:image/png;base64,AA 2x" onerror="x()">' +
        '<video poster="javascript:alert(1)"></video><q cite="javascript:alert(1)">q</q><bdo dir="rtl" onmouseover="x()">b</bdo><style>p{}</style>',
    );
    expect(html).toBe('<p dir="rtl">t</p><a>a</a><img src="https://news.test.example/international/x.png" /><video></video><q>q</q><bdo dir="rtl">b</bdo>');
  });
});
