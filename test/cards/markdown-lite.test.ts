import { markdownLite } from '../../cards/markdown-lite';
import { escapeMarkdown } from '../../cards/escape';

describe('markdownLite', () => {
  test('renders the subset the cards use', () => {
    expect(markdownLite('**Job** _x_ [out.txt](https://h/a?sig=1&b=2)\nnext')).toBe(
      '<strong>Job</strong> <em>x</em> <a href="https://h/a?sig=1&amp;b=2" target="_blank" rel="noopener">out.txt</a><br>next',
    );
  });

  test('shows escaped user text exactly as written, never as HTML', () => {
    const user = '*bold* _x_ <script>alert(1)</script> & [l](javascript:alert(1)) 1. # {{DATE(x)}} job_7';
    const out = markdownLite(escapeMarkdown(user));
    expect(out).not.toMatch(/<(strong|em|a|script)/);
    expect(out).toBe('*bold* _x_ &lt;script&gt;alert(1)&lt;/script&gt; &amp; [l](javascript:alert(1)) 1. # {{DATE(x)}} job_7');
  });

  test('links only to http(s)', () => {
    expect(markdownLite('[x](javascript:alert(1))')).not.toContain('<a');
  });
});
