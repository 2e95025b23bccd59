"""Pages that are not articles: a home page, a channel list, a JavaScript-only shell and
an "about us" page. The extractor must refuse each with a clear reason."""

from __future__ import annotations

from chrome import E, css_blob, js_blob, link_list, menu

UTF8 = "text/html; charset=utf-8"


def home_thepaper(rng, pool):
    blocks = []
    for section in ("要闻", "时事", "财经", "思想", "生活"):
        items = "".join(
            f'<div class="index_card__w1"><a href="/newsDetail_forward_{26400000 + rng.randrange(99999)}"><img src="https://imagecloud.thepaper.cn/thepaper/image/{rng.randrange(10**6)}.jpg"></a>'
            f'<h2><a href="/newsDetail_forward_{26400000 + rng.randrange(99999)}">{E(t)}</a></h2><p class="index_summary__x">{E(t[:18])}……</p>'
            f'<div class="index_extra__y"><span>澎湃新闻</span><span>{rng.randrange(1, 59)}分钟前</span><span>{rng.randrange(300)}评</span></div></div>'
            for t in pool[rng.randrange(10) :][:12]
        )
        blocks.append(f'<div class="index_section__s1"><h3>{section}</h3>{items}</div>')
    page = f"""<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>澎湃新闻-专注时政与思想的媒体开放平台</title>
<meta name="description" content="澎湃，澎湃新闻，澎湃新闻网，新闻与思想，澎湃是植根于中国上海的时政思想类互联网平台"><meta property="og:type" content="website">
<style>{css_blob(rng, "index_", 600)}</style></head><body><div id="__next">
<div class="index_header__Qm2s1"><a href="/"><img src="https://www.thepaper.cn/img/logo.png" alt="澎湃新闻"></a>{menu([("要闻", "/"), ("深度", "/channel_122908"), ("时事", "/channel_25950"), ("财经", "/channel_25951")], "index_nav__9Xk2b")}</div>
<div class="index_main__m1">{"".join(blocks)}</div>
<div class="index_footer__K1x2"><p>沪ICP备14003370号 | © 2014-2024 上海东方报业有限公司</p></div></div>
<script>{js_blob(rng, "thepaper", 120)}</script></body></html>"""
    return page, UTF8, "https://www.thepaper.cn/", "list"


def list_sina(rng, pool):
    items = link_list(
        rng,
        pool * 2,
        60,
        lambda r, i: (
            f"https://news.sina.com.cn/c/2024-03-0{r.randrange(1, 5)}/doc-inak{r.randrange(10**10)}.shtml"
        ),
        "listcontent",
        "item",
        with_time=lambda r, i: f"03月0{5 - i // 15}日 {23 - i % 24:02d}:{r.randrange(60):02d}",
    )
    page = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>国内新闻_新浪新闻</title>
<meta name="keywords" content="国内新闻,新浪新闻"><meta name="description" content="新浪国内新闻，提供最新国内新闻">
<style>{css_blob(rng, "sina-", 500)}</style></head><body>
<div class="top-nav"><a href="https://www.sina.com.cn/">新浪首页</a><a href="https://news.sina.com.cn/">新闻</a><a href="https://finance.sina.com.cn/">财经</a></div>
<div class="main"><h1 class="ch-title">国内新闻</h1><div class="feed-card-content">{items}</div>
<div class="feed-card-page"><a href="?page=2">下一页</a></div></div>
<div class="footer"><p>Copyright © 1996-2024 SINA Corporation, All Rights Reserved</p></div>
<script>{js_blob(rng, "sina", 120)}</script></body></html>"""
    return page, UTF8, "https://news.sina.com.cn/china/", "list"


def spa_36kr(rng, pool):
    page = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>36氪_让一部分人先看到未来</title>
<meta name="viewport" content="width=device-width,initial-scale=1"><meta name="description" content="36氪为您提供创业资讯、科技新闻、投融资对接、股权投资、极速融资等创业服务">
<link rel="stylesheet" href="https://static.36krcdn.com/36kr-web/static/app.7c1f9a1e.css">
<style>{css_blob(rng, "kr-", 300)}</style></head><body>
<noscript>36氪需要启用 JavaScript 才能正常运行。请在浏览器设置中开启 JavaScript 后刷新页面。</noscript>
<div id="app"></div>
<script src="https://static.36krcdn.com/36kr-web/static/vendor.3e1f0a2b.js"></script>
<script>{js_blob(rng, "kr", 260)}</script>
<script src="https://static.36krcdn.com/36kr-web/static/app.9d8c7b6a.js"></script></body></html>"""
    return page, UTF8, "https://36kr.com/p/2690000000000001", "javascript"


def about_people(rng, pool):
    paras = [
        "人民网，是世界十大报业集团之一人民日报建设的以新闻为主的大型网上信息交互平台，也是国际互联网上最大的综合性网络媒体之一。",
        "作为国家重点新闻网站的排头兵，人民网秉承“权威实力，源自人民”的理念，以“报道全球，传播中国”为己任，以权威性、公信力、影响力为特色。",
        "人民网拥有十五种语言十七个语种的版本，建设了覆盖全国的地方频道，形成了面向全球的多语种新闻传播体系。",
        "联系我们：地址：北京市朝阳区金台西路2号人民日报社新媒体大厦；邮编：100733；电话：010-65363636。",
        "人民网股份有限公司版权所有，未经书面授权禁止使用。如需转载或使用本网站内容，请与本网站联系。",
    ]
    body = "".join(f"<p>{E(p)}</p>" for p in paras)
    page = f"""<!DOCTYPE html><html><head><meta http-equiv="content-type" content="text/html;charset=utf-8"/><title>关于人民网--人民网</title>
<meta name="keywords" content="人民网,关于我们"><style>{css_blob(rng, "rm_", 520)}</style></head><body>
<div class="header"><a href="http://www.people.com.cn/" class="logo"><img src="/img/logo.png" alt="人民网"></a>{menu([("首页", "http://www.people.com.cn/"), ("时政", "http://politics.people.com.cn/"), ("国际", "http://world.people.com.cn/"), ("财经", "http://finance.people.com.cn/")], "navlist")}</div>
<div class="main w1000"><div class="about_left">{menu([("人民网简介", "#"), ("大事记", "#"), ("联系我们", "#"), ("招聘信息", "#"), ("广告服务", "#")], "about_menu")}</div>
<div class="about_right"><h1>人民网简介</h1><div class="about_text">{body}</div></div></div>
<div class="footer"><p>人 民 网 股 份 有 限 公 司 版 权 所 有 ，未 经 书 面 授 权 禁 止 使 用</p></div>
<script>{js_blob(rng, "people", 140)}</script></body></html>"""
    return page, UTF8, "http://www.people.com.cn/GB/50142/104580/index.html", "not_article"


NEGATIVES = {
    "neg-home-thepaper": home_thepaper,
    "neg-list-sina": list_sina,
    "neg-js-36kr": spa_36kr,
    "neg-about-people": about_people,
}
