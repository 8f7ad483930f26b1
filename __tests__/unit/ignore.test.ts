import { describe, expect, it } from '@jest/globals'
import { IgnoreRules, parsePatternLines, rebasePattern } from '../../src/artifact/ignore.js'

describe('patterns of a .sourceignore below the root', () => {
  it.each([
    ['*.md', 'sub', 'sub/**/*.md'],
    ['/only-here', 'sub', 'sub/only-here'],
    ['docs/', 'sub', 'sub/**/docs/'],
    ['a/b', 'sub/x', 'sub/x/a/b'],
    ['!keep.md', 'sub', '!sub/**/keep.md'],
    ['**/tmp', 'sub', 'sub/**/tmp'],
    ['*.md', '', '*.md']
  ])('%s in %s/.sourceignore means %s from the root', (pattern, dir, expected) => {
    expect(rebasePattern(pattern, dir)).toBe(expected)
  })
})

describe('pattern lists', () => {
  it('drop blank lines, comments and trailing spaces', () => {
    expect(parsePatternLines('# comment\n\n*.md  \nfoo\\ \r\nbar')).toEqual([
      '*.md',
      'foo\\ ',
      'bar'
    ])
  })
})

describe('rule precedence', () => {
  it('lets user patterns override a .sourceignore, and a deeper .sourceignore override the defaults', () => {
    const rules = IgnoreRules.create(['!important.md'])
      .withSourceIgnore('', '*.md\n')
      .withSourceIgnore('assets', '!logo.png\n')
    expect(rules.ignores('notes.md', false)).toBe(true)
    expect(rules.ignores('important.md', false)).toBe(false)
    expect(rules.ignores('assets/logo.png', false)).toBe(false)
    expect(rules.ignores('logo.png', false)).toBe(true)
  })

  it('treats ".git/" as a directory pattern: a .git file (submodule link) stays', () => {
    const rules = IgnoreRules.create()
    expect(rules.ignores('.git', true)).toBe(true)
    expect(rules.ignores('.git', false)).toBe(false)
  })
})
