import { viteBundler } from '@vuepress/bundler-vite'
import { markdownExtPlugin } from '@vuepress/plugin-markdown-ext'
import { markdownMathPlugin } from '@vuepress/plugin-markdown-math'
import { sitemapPlugin } from '@vuepress/plugin-sitemap'
import { defaultTheme } from '@vuepress/theme-default'
import { defineUserConfig } from 'vuepress'

// 站点部署在 https://interview.example.com/interview/ 下
const hostname = 'https://interview.example.com'

export default defineUserConfig({
  base: '/interview/',
  lang: 'zh-CN',
  title: '后端面试八股',
  description: 'Java / 数据库 / 操作系统 / 计算机网络 / Go 面试复习笔记',

  head: [
    ['link', { rel: 'icon', href: '/interview/logo.svg' }],
    ['meta', { property: 'og:url', content: `${hostname}/interview/` }],
  ],

  bundler: viteBundler(),

  theme: defaultTheme({
    logo: '/logo.svg',
    repo: 'bagu-study/backend-interview',
    docsDir: 'docs',
    editLinkText: '在 GitHub 上编辑此页',
    lastUpdatedText: '上次更新',
    contributorsText: '贡献者',

    navbar: [
      { text: '首页', link: '/' },
      { text: 'Java', link: '/java/' },
      { text: '数据库', link: '/database/' },
      { text: '操作系统', link: '/os/' },
      { text: '计算机网络', link: '/network/' },
      { text: 'Go', link: '/go/' },
      { text: '关于', link: '/about.html' },
    ],

    sidebar: {
      '/java/': [
        {
          text: 'Java',
          children: [
            '/java/README.md',
            '/java/basis.md',
            '/java/collection.md',
            '/java/concurrent.md',
            '/java/jvm.md',
          ],
        },
      ],
      '/database/': [
        {
          text: '数据库',
          children: [
            '/database/README.md',
            '/database/mysql.md',
            '/database/mysql-transaction.md',
            '/database/redis.md',
          ],
        },
      ],
      '/os/': ['/os/README.md', '/os/process-thread.md', '/os/memory.md'],
      '/network/': ['/network/README.md', '/network/tcp.md', '/network/http.md'],
      '/go/': ['/go/README.md', '/go/goroutine.md'],
    },
  }),

  plugins: [
    sitemapPlugin({ hostname }),
    markdownMathPlugin({ type: 'katex' }),
    markdownExtPlugin({ footnote: true, tasklist: true }),
  ],
})
