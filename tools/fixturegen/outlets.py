"""One page template per outlet, in the style of its real article pages (2024 markup).

Each ``render_<outlet>(art, rng, pool)`` returns ``(html, headers)``: the whole page and
the HTTP Content-Type it is served with. ``art`` is a parsed article (see __main__).
"""

from __future__ import annotations

import json
from datetime import timedelta, timezone

from chrome import (
    HEADLINES_EN,
    E,
    analytics,
    comments_zh,
    css_blob,
    inline_json,
    js_blob,
    json_script,
    link_list,
    menu,
)

UTF8 = "text/html; charset=utf-8"
CST = timezone(timedelta(hours=8))


def body(art, p, h, img, q=None, boiler=None):
    out = []
    for kind, text, extra in art["blocks"]:
        if kind == "P":
            out.append(p(text))
        elif kind == "H":
            out.append(h(text))
        elif kind == "I":
            out.append(img(text, extra))
        elif kind == "Q":
            out.append(q(text) if q else p(text))
        elif kind == "B":
            out.append(boiler(text) if boiler else p(text))
    return "\n".join(out)


def secs(art):
    return art["rng_seconds"]


def t_local(art):
    return art["time"].astimezone(CST)


def head_common(title, desc, keywords, extra=""):
    return (
        f'<meta charset="utf-8">\n<meta http-equiv="X-UA-Compatible" content="IE=edge">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<title>{E(title)}</title>\n<meta name="keywords" content="{E(keywords)}">\n'
        f'<meta name="description" content="{E(desc)}">\n{extra}'
    )


def desc_of(art, n=80):
    return art["lead"] or next(t for k, t, _ in art["blocks"] if k == "P")[:n]


# ---------------------------------------------------------------------------
# 澎湃新闻 (Next.js, css-module class names, article again in __NEXT_DATA__)
# ---------------------------------------------------------------------------


def render_thepaper(art, rng, pool):
    t = t_local(art)
    stamp = t.strftime("%Y-%m-%d %H:%M")
    content = body(
        art,
        lambda s: f"<p>{E(s)}</p>",
        lambda s: f"<p><strong>{E(s)}</strong></p>",
        lambda u, c: (
            f'<div class="index_imgbox__x1"><img src="{u}" alt="{E(c)}" width="600"></div><p style="text-align:center"><span style="color:#7f7f7f">{E(c)}</span></p>'
        ),
        lambda s: f"<blockquote><p>{E(s)}</p></blockquote>",
    )
    nav = menu(
        [
            ("要闻", "/channel_25950"),
            ("深度", "/channel_122908"),
            ("时事", "/channel_25950"),
            ("财经", "/channel_25951"),
            ("思想", "/channel_25952"),
            ("生活", "/channel_25953"),
            ("视频", "/channel_26916"),
            ("澎湃号", "/gov"),
            ("问吧", "/ask"),
            ("App", "/download"),
        ],
        "index_nav__9Xk2b",
    )
    related = link_list(
        rng,
        pool,
        12,
        lambda r, i: f"/newsDetail_forward_{26400000 + r.randrange(99999)}",
        "index_list__r3Lq8",
        "index_item__kM2c1",
        exclude=art["title"],
    )
    hot = link_list(
        rng,
        pool,
        10,
        lambda r, i: f"/newsDetail_forward_{26400000 + r.randrange(99999)}",
        "index_hotlist__Y7f1z",
        "",
        exclude=art["title"],
    )
    next_data = {
        "props": {
            "pageProps": {
                "detailData": {
                    "contentDetail": {
                        "contId": int(art["url"].rsplit("_", 1)[1]),
                        "name": art["title"],
                        "summary": art["lead"],
                        "pubTime": stamp,
                        "author": art["authors"][0] if art["authors"] else "",
                        "content": content,
                        "nodeInfo": {"name": "长三角政商"},
                        "praiseTimes": str(rng.randrange(900)),
                    }
                },
                "relatedList": [{"name": h} for h in pool[:8]],
            }
        },
        "page": "/detail/[id]",
        "buildId": "Xq0e8n3",
    }
    page = f"""<!DOCTYPE html><html lang="zh-CN"><head>
{head_common(art["title"] + "_澎湃新闻-The Paper", desc_of(art), "澎湃新闻," + art["title"][:6])}
<meta property="og:title" content="{E(art["title"])}">
<meta property="og:description" content="{E(desc_of(art))}">
<meta property="og:image" content="https://imagecloud.thepaper.cn/thepaper/image/share/{rng.randrange(10**6)}.png">
<meta name="next-head-count" content="12">
<link rel="preload" href="/_next/static/css/7c1f9a1e4d2b3c5e.css" as="style">
<style data-n-href="/_next/static/css/7c1f9a1e4d2b3c5e.css">{css_blob(rng, "index_", 520)}</style>
<script>{analytics("6ad2c2a4ad8f2d8b8e3c8e1b5d3f7a9c")}</script>
</head><body><div id="__next">
<div class="index_header__Qm2s1"><div class="index_logo__p9Hn2"><a href="/"><img src="https://www.thepaper.cn/img/logo.png" alt="澎湃新闻"></a></div>{nav}
<div class="index_search__Rt0c2"><input placeholder="搜索"></div><div class="index_login__Zz1k4"><a href="/login">登录</a></div></div>
<div class="index_wrapper__Lp0q3"><div class="index_leftcontent__Nv5t2">
<div class="index_header__h4b2x"><h1 class="index_title__B8mhI">{E(art["title"])}</h1>
<div class="index_headerContent__sASF4"><div class="index_left__LfzyH"><div class="ant-space ant-space-horizontal">
<div class="ant-space-item"><span>{stamp}</span></div><div class="ant-space-item"><span>来源：澎湃新闻</span></div></div>
<div class="index_author__kx4rY">澎湃新闻记者 {E(" ".join(art["authors"]))}</div></div>
<div class="index_right__e2n6q"><span class="index_share__W9r2x">分享至</span><span class="index_wx__a1">微信</span><span class="index_wb__b2">微博</span></div></div></div>
{f'<div class="index_summary__Lc2Gr">{E(art["lead"])}</div>' if art["lead"] else ""}
<div class="index_cententWrap__Jv8jK">{content}</div>
<div class="index_editor__x8q">责任编辑：{rng.choice(["钟煜豪", "李跃群", "孔令晗"])}</div><div class="index_correct__c0">校对：{rng.choice(["刘威", "丁晓"])}</div>
<div class="index_copyright__b2">澎湃新闻报料：021-962866<br>澎湃新闻，未经授权不得转载</div>
<div class="index_statement__n1"><span>+1</span><span class="index_praise__x">{rng.randrange(50, 900)}</span><span>收藏</span></div>
<div class="index_relate__m8"><h2>相关推荐</h2>{related}</div>
<div class="index_comment__Qe8"><h2>评论（{rng.randrange(40)}）</h2><textarea placeholder="期待你的神评论"></textarea>{comments_zh(rng, 5)}</div>
</div><div class="index_rightcontent__Qz9v1"><div class="index_hot__w8"><h2>热门新闻</h2>{hot}</div>
<div class="index_ad__k2"><a href="https://ad.thepaper.cn/c?id={rng.randrange(10**6)}"><img src="https://ad.thepaper.cn/img/{rng.randrange(10**5)}.jpg" alt="广告"></a></div></div></div>
<div class="index_footer__K1x2"><p>沪ICP备14003370号 | 沪公网安备31010602000299号 | 互联网新闻信息服务许可证：31120170006</p><p>增值电信业务经营许可证：沪B2-2017116 | © 2014-2024 上海东方报业有限公司</p></div>
</div>{json_script(next_data, script_id="__NEXT_DATA__", type_="application/json")}
<script src="/_next/static/chunks/webpack-3c1f0e9a.js" defer></script>
<script>{js_blob(rng, "thepaper", 90)}</script>
</body></html>"""
    return page, UTF8


# ---------------------------------------------------------------------------
# 36氪 (server-rendered React, window.initialState)
# ---------------------------------------------------------------------------


def render_36kr(art, rng, pool):
    t = t_local(art)
    content = body(
        art,
        lambda s: f"<p>{E(s)}</p>",
        lambda s: f"<h2>{E(s)}</h2>",
        lambda u, c: f'<p class="img-desc"><img src="{u}" data-img-size-val="1080,720">{E(c)}</p>',
    )
    state = {
        "articleDetail": {
            "articleDetailData": {
                "code": 0,
                "data": {
                    "itemId": int(art["url"].rsplit("/", 1)[1]),
                    "widgetTitle": art["title"],
                    "summary": art["lead"],
                    "publishTime": int(art["time"].timestamp() * 1000) + secs(art) * 1000,
                    "author": " ".join(art["authors"]),
                    "widgetContent": content,
                    "statCollect": rng.randrange(500),
                },
            }
        },
        "channel": [{"name": n} for n in ("最新", "推荐", "创投", "汽车", "科技")],
    }
    nav = menu(
        [
            ("首页", "/"),
            ("快讯", "/newsflashes"),
            ("资讯", "/information/web_news"),
            ("专题", "/topics"),
            ("活动", "/activity"),
            ("搜索", "/search"),
            ("创投平台", "https://pitchhub.36kr.com"),
        ],
        "kr-header-nav",
    )
    related = link_list(
        rng,
        pool,
        10,
        lambda r, i: f"/p/{2600000000000000 + r.randrange(10**12)}",
        "kr-related-list",
        "kr-related-item",
        exclude=art["title"],
    )
    flashes = link_list(
        rng,
        pool,
        8,
        lambda r, i: f"/newsflashes/{2670000000000000 + r.randrange(10**12)}",
        "kr-flash-list",
        "kr-flash-item",
        with_time=lambda r, i: f"{r.randrange(1, 59)}分钟前",
        exclude=art["title"],
    )
    page = f"""<!DOCTYPE html><html><head>
{head_common(art["title"] + "-36氪", desc_of(art), "36氪,创投,科技")}
<meta property="og:type" content="article"><meta property="og:title" content="{E(art["title"])}">
<meta property="og:site_name" content="36氪">
<style>{css_blob(rng, "kr-", 430)}</style>
<script>{analytics("713123c60a0e86982326bae1a51083e1")}</script>
</head><body><div id="app"><div class="kr-layout">
<div class="kr-header"><a class="kr-header-logo" href="/"><img src="https://static.36krcdn.com/36kr-web/static/logo.png" alt="36氪"></a>{nav}
<div class="kr-header-right"><a href="/login">登录</a><a class="kr-write" href="/seek_report">寻求报道</a></div></div>
<div class="kr-layout-main clearfloat"><div class="main-right"><div class="kr-article">
<div class="article-detail-wrapper-box"><div class="article-mian-content">
<h1 class="article-title margin-bottom-20 common-width">{E(art["title"])}</h1>
<div class="article-title-icon common-width margin-bottom-40"><a class="title-icon-item item-a" href="/user/{rng.randrange(10**9)}">{E(" ".join(art["authors"]))}</a>
<span class="title-icon-item item-time"><span class="bull">•</span>{t.strftime("%Y-%m-%d %H:%M")}</span>
<span class="title-icon-item item-read">{rng.randrange(2, 90)}.{rng.randrange(10)}w</span></div>
{f'<div class="summary">{E(art["lead"])}</div>' if art["lead"] else ""}
<div class="common-width content articleDetailContent kr-rich-text-wrapper">{content}</div>
<div class="common-width margin-bottom-20"><p class="article-footer-txt">本文来自微信公众号“{rng.choice(["36氪", "智能涌现", "36碳"])}”，作者：{E(" ".join(art["authors"]))}，36氪经授权发布。</p>
<p class="article-footer-txt">该文观点仅代表作者本人，36氪平台仅提供信息存储空间服务。</p></div>
<div class="kr-article-tags"><a href="/search/articles/储能">储能</a><a href="/search/articles/融资">融资</a></div>
<div class="kr-share-bar"><span>微信</span><span>微博</span><span>QQ</span><span>复制链接</span></div>
</div></div>
<div class="kr-related"><h3>相关推荐</h3>{related}</div>
<div class="kr-comment"><h3>评论</h3>{comments_zh(rng, 4)}</div></div></div>
<div class="main-left"><div class="kr-flash"><h3>24小时热榜</h3>{flashes}</div>
<div class="kr-ad"><a href="https://36kr.com/adclick?id={rng.randrange(10**6)}"><img src="https://img.36krcdn.com/ad/{rng.randrange(10**5)}.jpg"></a></div></div></div>
<div class="kr-footer"><p>© 2011~2024 北京多氪信息科技有限公司 | 京ICP备12031756号-6 | 京ICP证150143号 | 京公网安备11010502036099号</p></div></div></div>
<script>window.initialState={inline_json(state)}</script>
<script>{js_blob(rng, "kr", 80)}</script></body></html>"""
    return page, UTF8


# ---------------------------------------------------------------------------
# 虎嗅 (Baidu cambrian JSON-LD with a naive pubDate)
# ---------------------------------------------------------------------------


def render_huxiu(art, rng, pool):
    t = t_local(art)
    content = body(
        art,
        lambda s: f"<p>{E(s)}</p>",
        lambda s: f'<h3 label="二级标题"><strong>{E(s)}</strong></h3>',
        lambda u, c: (
            f'<p class="img-center-box"><img class="lazyImg" src="https://www.huxiu.com/static/img/lazy.gif" data-src="{u}"><br><span class="text-remarks">{E(c)}</span></p>'
        ),
    )
    ld = {
        "@context": "https://ziyuan.baidu.com/contexts/cambrian.jsonld",
        "@id": art["url"],
        "appid": "1549322409310619",
        "title": art["title"],
        "images": [],
        "description": desc_of(art),
        "pubDate": t.strftime("%Y-%m-%dT%H:%M:") + f"{secs(art):02d}",
        "upDate": (t + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M:%S"),
    }
    related = link_list(
        rng,
        pool,
        10,
        lambda r, i: f"/article/{2600000 + r.randrange(99999)}.html",
        "article-related-list",
        "",
        exclude=art["title"],
    )
    page = f"""<!DOCTYPE html><html lang="zh-CN"><head>
{head_common(art["title"] + "-虎嗅网", desc_of(art), "虎嗅,商业," + art["title"][:4])}
<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>
<link rel="canonical" href="{art["url"]}">
<style>{css_blob(rng, "hx-", 380)}</style>
<script>{analytics("324368ef52596457d064ca5db8c6618e")}</script></head>
<body><div id="__nuxt"><div id="__layout"><div class="huxiu-web">
<header class="header-box"><a href="/" class="logo"><img src="https://img.huxiucdn.com/logo.png" alt="虎嗅"></a>
{menu([("资讯", "/channel/"), ("24小时", "/moment/"), ("视频", "/video/"), ("虎嗅智库", "/club/"), ("活动", "/activity/"), ("创投", "/chuangye/")], "header-nav")}</header>
<div class="article-wrap"><div class="article-wrap__left">
<div class="article__title-wrap"><h1 class="article__title">{E(art["title"])}</h1>
<div class="article__author-info-box"><a class="author-info__username">{E(" ".join(art["authors"]))}</a><span class="article__time">{t.strftime("%Y-%m-%d %H:%M")}</span><span class="article__column">商业消费</span></div></div>
<div class="article__content" id="article-content">
<p class="article__summary"><span class="text-remarks">本文来自微信公众号：{E(" ".join(art["authors"]))}，作者：{E(" ".join(art["authors"]))}，题图来自：视觉中国</span></p>
{f'<div class="article__summary-lead"><p>{E(art["lead"])}</p></div>' if art["lead"] else ""}
{content}
<p class="text-remarks">本内容为作者独立观点，不代表虎嗅立场。未经允许不得转载，授权事宜请联系 hezuo@huxiu.com</p>
</div>
<div class="article__bottom-tags"><a>商业消费</a><a>咖啡</a></div>
<div class="article__bottom-share"><span>赞 {rng.randrange(99)}</span><span>收藏</span><span>分享</span></div>
<div class="article-related"><div class="title">相关推荐</div>{related}</div>
<div class="article-comment"><div class="title">评论</div>{comments_zh(rng, 3)}</div></div>
<div class="article-wrap__right"><div class="hot-article"><h4>热文</h4>{link_list(rng, pool, 8, lambda r, i: f"/article/{2600000 + r.randrange(99999)}.html", "hot-list", "hot-item", exclude=art["title"])}</div></div></div>
<footer class="footer"><p>Copyright © 虎嗅网 京ICP备12013432号-1 京公网安备11010102001402号</p></footer>
</div></div></div><script>{js_blob(rng, "huxiu", 70)}</script></body></html>"""
    return page, UTF8


# ---------------------------------------------------------------------------
# 财新网 (classic markup, date with 年月日)
# ---------------------------------------------------------------------------


def render_caixin(art, rng, pool):
    t = t_local(art)
    channel = "金融频道" if "finance" in art["url"] else "政经频道"
    content = body(
        art,
        lambda s: f"<p>{E(s)}</p>",
        lambda s: f"<p><b>{E(s)}</b></p>",
        lambda u, c: f'<dl class="media_pic"><dt><img src="{u}"></dt><dd>{E(c)}</dd></dl>',
    )
    related = link_list(
        rng,
        pool,
        8,
        lambda r, i: (
            f"https://www.caixin.com/2024-03-0{r.randrange(1, 5)}/10217{r.randrange(1000, 9999)}.html"
        ),
        "",
        "",
        exclude=art["title"],
    )
    page = f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>{E(art["title"])}_{channel}_财新网</title>
<meta name="keywords" content="央行,货币政策,降准" />
<meta name="description" content="{E(desc_of(art))}" />
<meta property="og:title" content="{E(art["title"])}" />
<meta property="og:image" content="https://img.caixin.com/2024-03-05/share.jpg" />
<link rel="stylesheet" href="//file.caixin.com/file/content/css/cx_article.css" />
<style>{css_blob(rng, "cx_", 460)}</style>
<script type="text/javascript">var entity = {{ id: {art["url"].rsplit("/", 1)[1].split(".")[0]}, type: 2, channel: 125, isFree: 1 }};</script>
</head><body>
<div class="head"><div class="logo"><a href="https://www.caixin.com/"><img src="//file.caixin.com/logo.png" alt="财新网" /></a></div>
{menu([("首页", "https://www.caixin.com/"), ("经济", "https://economy.caixin.com/"), ("金融", "https://finance.caixin.com/"), ("公司", "https://companies.caixin.com/"), ("政经", "https://china.caixin.com/"), ("世界", "https://international.caixin.com/"), ("观点", "https://opinion.caixin.com/"), ("数据通", "https://datanews.caixin.com/")], "menu")}</div>
<div class="comMain"><div class="conlf">
<div id="conTit"><h1>{E(art["title"])}</h1>
<div class="artInfo">文｜财新 {E(" ".join(art["authors"]))}<br />{t.year}年{t.month:02d}月{t.day:02d}日 {t.strftime("%H:%M")}&nbsp;来源于 <a href="https://www.caixin.com/">财新网</a>
<span class="function01"><a class="font" href="javascript:void(0)">字号</a><a href="javascript:window.print()">打印</a></span></div></div>
{f'<div id="subhead" class="subhead">{E(art["lead"])}</div>' if art["lead"] else ""}
<div id="Main_Content_Val" class="text">{content}
<p>（责任编辑：{rng.choice(["屈运栩", "郑作时", "张帆"])}）</p></div>
<div class="pip">版面编辑：{rng.choice(["刘潇", "许金玲"])}</div>
<div class="moreReport"><h4>相关报道</h4>{related}</div>
<div class="comment" id="comment"><h4>网友评论</h4>{comments_zh(rng, 3)}</div></div>
<div class="conri"><div class="hotNews"><h4>热读文章</h4>{link_list(rng, pool, 10, lambda r, i: f"https://www.caixin.com/2024-02-2{r.randrange(1, 9)}/1021{r.randrange(10000, 99999)}.html", "hot", "", exclude=art["title"])}</div>
<div class="ad"><script>document.write('<a href="https://ad.caixin.com/"><img src="https://ad.caixin.com/a.jpg"></a>');</script></div></div></div>
<div class="footer"><p>财新网所刊载内容之知识产权为财新传媒及/或相关权利人专属所有或持有。未经许可，禁止进行转载、摘编、复制及建立镜像等任何使用。</p><p>京ICP证090880号 京ICP备10026701号-8 | 京公网安备11010502034662号</p></div>
<script>{js_blob(rng, "caixin", 60)}</script></body></html>"""
    return page, UTF8


# ---------------------------------------------------------------------------
# 第一财经
# ---------------------------------------------------------------------------


def render_yicai(art, rng, pool):
    t = t_local(art)
    content = body(
        art,
        lambda s: f"<p>{E(s)}</p>",
        lambda s: f"<p><strong>{E(s)}</strong></p>",
        lambda u, c: (
            f'<p style="text-align:center"><img src="{u}"></p><p style="text-align:center">{E(c)}</p>'
        ),
    )
    page = f"""<!DOCTYPE html><html><head>
{head_common(art["title"] + " | 第一财经", desc_of(art), "第一财经," + art["title"][:4])}
<meta property="og:site_name" content="第一财经">
<style>{css_blob(rng, "m-", 360)}</style>
<script>{analytics("80c3e9c0ce2c8dd06b8cd8f1f7cf6b3a")}</script></head><body>
<div class="g-hd"><div class="m-topbar"><a href="/" class="logo"><img src="https://imgcdn.yicai.com/logo.png" alt="第一财经"></a>
{menu([("首页", "/"), ("新闻", "/news/"), ("视频", "/video/"), ("一财号", "/author/"), ("直播", "/live/"), ("数据", "/data/"), ("VIP", "/vip/")], "m-nav")}</div></div>
<div class="g-bd f-cb"><div class="g-mn"><div class="m-article">
<div class="title f-pr"><h1>{E(art["title"])}</h1>
<p class="names">{E(" ".join(art["authors"]))}</p><p><em>第一财经</em><em>{t.strftime("%Y-%m-%d %H:%M")}:{secs(art):02d}</em></p></div>
{f'<div class="intro">{E(art["lead"])}</div>' if art["lead"] else ""}
<div class="m-txt">{content}</div>
<div class="m-edtr"><p>举报</p><p>责编：{rng.choice(["王方", "任绍敏", "郭丹"])}</p></div>
<div class="m-list m-list-1"><h3>相关阅读</h3>{link_list(rng, pool, 10, lambda r, i: f"/news/10{r.randrange(1990000, 2019999)}.html", "", "", exclude=art["title"])}</div>
</div></div><div class="g-sd"><div class="m-hot"><h3>热点排行</h3>{link_list(rng, pool, 10, lambda r, i: f"/news/10{r.randrange(1990000, 2019999)}.html", "hot", "", exclude=art["title"])}</div></div></div>
<div class="g-ft"><p>第一财经 版权所有 沪ICP备14002526号-7 互联网新闻信息服务许可证：31120180004</p></div>
<script>{js_blob(rng, "yicai", 90)}</script></body></html>"""
    return page, UTF8


# ---------------------------------------------------------------------------
# 新浪 (artibody, full-width indents, keywords in <title>, editor box)
# ---------------------------------------------------------------------------


def render_sina(art, rng, pool):
    t = t_local(art)
    channel = {"news": "新浪新闻", "finance": "新浪财经", "tech": "新浪科技"}[
        art["url"].split("//")[1].split(".")[0]
    ]
    iso = t.strftime("%Y-%m-%dT%H:%M:") + f"{secs(art):02d}+08:00"
    content = body(
        art,
        lambda s: f"<p>　　{E(s)}</p>",
        lambda s: f"<p>　　<strong>{E(s)}</strong></p>",
        lambda u, c: (
            f'<div class="img_wrapper"><img src="{u}" alt="{E(c)}"><span class="img_descr">{E(c)}</span></div>'
        ),
    )
    page = f"""<!DOCTYPE html><html><head>
<meta charset="utf-8"/>
<title>{E(art["title"])}|{E(art["title"][:2])}|新规_{channel}</title>
<meta name="keywords" content="{E(art["title"][:6])},新规" />
<meta name="description" content="{E(desc_of(art))}" />
<meta property="og:type" content="news" /><meta property="og:title" content="{E(art["title"])}" />
<meta property="og:url" content="{art["url"]}" />
<meta property="og:image" content="https://i.sinaimg.cn/home/2014/0108/U7034P30DT20140108095140.png" />
<meta property="article:published_time" content="{iso}" />
<meta property="article:author" content="{channel}" />
<meta name="weibo: article:create_at" content="{t.strftime("%Y-%m-%d %H:%M:")}{secs(art):02d}" />
<meta name="mediaid" content="新京报" />
<style>{css_blob(rng, "sina-", 420)}</style>
<script>var SINA_TEXT_PAGE_INFO = {{channel: 'news', newsid: '{art["url"].rsplit("-", 1)[1].split(".")[0]}', encoding: 'utf-8'}};</script>
</head><body>
<div class="top-nav-wrap"><div class="top-nav"><a href="https://www.sina.com.cn/">新浪首页</a><a href="https://news.sina.com.cn/">新闻</a><a href="https://sports.sina.com.cn/">体育</a><a href="https://finance.sina.com.cn/">财经</a><a href="https://ent.sina.com.cn/">娱乐</a><a href="https://tech.sina.com.cn/">科技</a><a href="https://blog.sina.com.cn/">博客</a><a href="https://photo.sina.com.cn/">图片</a><a href="https://zhuanlan.sina.com.cn/">专栏</a>
<span class="login">登录</span></div></div>
<div class="main-content w1240"><h1 class="main-title">{E(art["title"])}</h1>
<div class="top-bar-wrap"><div class="top-bar"><div class="date-source"><span class="date">{t.year}年{t.month:02d}月{t.day:02d}日 {t.strftime("%H:%M")}</span>
<a href="https://www.bjnews.com.cn/" class="source" target="_blank">新京报</a></div><div class="tools"><span class="comment">{rng.randrange(2000)}人参与</span><span>{rng.randrange(900)}评论</span></div></div></div>
<div class="article-content clearfix"><div class="article-content-left">
<div class="article" id="artibody" data-sudaclick="blk_content">
<!-- 原始正文start -->
{content}
<!-- 原始正文end -->
<div class="appendQr_wrap"><div class="appendQr_normal"><p>新浪新闻公众号</p><p>更多猛料！欢迎扫描左方二维码关注新浪新闻官方微信（xinlang-xinwen）</p></div></div>
<p class="show_author">责任编辑：{rng.choice(["张玉", "刘光博", "李昂"])} </p>
</div>
<div class="keywords">文章关键词：<a href="https://tags.news.sina.com.cn/新规">新规</a><a>老旧小区</a></div>
<div class="article-bottom"><span class="share">分享到：</span><span>微博</span><span>微信</span></div>
<div class="blk-related"><h3>相关新闻</h3>{link_list(rng, pool, 8, lambda r, i: f"https://news.sina.com.cn/c/2024-03-0{r.randrange(1, 5)}/doc-inak{r.randrange(10**10)}.shtml", "list01", "", with_time=lambda r, i: f"03月0{r.randrange(1, 5)}日 {r.randrange(24):02d}:{r.randrange(60):02d}", exclude=art["title"])}</div>
<div id="sinacomment"><h3>我有话说</h3>{comments_zh(rng, 6)}</div></div>
<div class="article-content-right"><div class="right-hot"><h3>新闻排行</h3>{link_list(rng, pool, 10, lambda r, i: f"https://news.sina.com.cn/w/doc-inak{r.randrange(10**10)}.shtml", "rank", "", exclude=art["title"])}</div>
<div class="sinaads" data-ad-pdps="PDPS000000056054"><ins class="sinaads"></ins></div></div></div></div>
<div class="footer"><p>新浪简介 | About Sina | 广告营销 | 联系我们 | 招聘信息 | 网站律师 | SINA English | 通行证注册 | 产品答疑</p><p>Copyright © 1996-2024 SINA Corporation, All Rights Reserved</p><p>新浪公司 版权所有</p></div>
<script>{js_blob(rng, "sina", 110)}</script></body></html>"""
    return page, UTF8


# ---------------------------------------------------------------------------
# 网易 (post_body, statement, ISO meta time)
# ---------------------------------------------------------------------------


def render_163(art, rng, pool):
    t = t_local(art)
    iso = t.strftime("%Y-%m-%dT%H:%M:") + f"{secs(art):02d}+08:00"
    content = body(
        art,
        lambda s: f'<p id="{rng.randrange(16**8):08X}">{E(s)}</p>',
        lambda s: f"<p><b>{E(s)}</b></p>",
        lambda u, c: f'<p class="f_center"><img src="{u}"><br>{E(c)}</p>',
    )
    source = rng.choice(["新华社", "央视新闻", "中国新闻网"])
    page = f"""<!DOCTYPE HTML><html id="ne_wrap"><head>
<meta charset="utf-8"><title>{E(art["title"])}_网易新闻</title>
<meta name="keywords" content="{E(art["title"][:4])},网易新闻"><meta name="description" content="{E(desc_of(art))}">
<meta property="og:type" content="article"><meta property="og:title" content="{E(art["title"])}">
<meta property="og:release_date" content="{t.strftime("%Y-%m-%d %H:%M:")}{secs(art):02d}">
<meta property="article:published_time" content="{iso}">
<link rel="canonical" href="{art["url"]}">
<style>{css_blob(rng, "post_", 400)}</style>
<script>var _ntes_nacc = "news";</script></head><body>
<div class="ns_area list"><div class="N-nav-channel"><a class="N-logo" href="https://www.163.com/">网易</a>
{menu([("新闻", "https://news.163.com/"), ("体育", "https://sports.163.com/"), ("NBA", "https://sports.163.com/nba/"), ("娱乐", "https://ent.163.com/"), ("财经", "https://money.163.com/"), ("股票", "https://money.163.com/stock/"), ("汽车", "https://auto.163.com/"), ("科技", "https://tech.163.com/"), ("手机", "https://mobile.163.com/"), ("女人", "https://lady.163.com/")], "N-nav-channel-list")}</div></div>
<div class="container clearfix"><div class="post_main">
<h1 class="post_title">{E(art["title"])}</h1>
<div class="post_info">{t.strftime("%Y-%m-%d %H:%M:")}{secs(art):02d}　来源: <a href="#">{source}</a><img src="https://static.ws.126.net/cnews/css13/img/end_news.png" width="13" height="12" class="icon">
<a class="post_comment_joincount" href="#post_comment_area">{rng.randrange(30000)}</a>人参与 <a>{rng.randrange(900)}</a>跟贴</div>
<div class="post_content" id="content"><div class="post_body">
{content}
<p class="otitle">（原标题：{E(art["title"])}）</p>
</div>
<div class="post_statement"><span class="bg"></span><p>特别声明：以上内容(如有图片或视频亦包括在内)为自媒体平台“网易号”用户上传并发布，本平台仅提供信息存储服务。</p><p>Notice: The content above (including the pictures and videos if any) is uploaded and posted by a user of NetEase Hao, which is a social media platform and only provides information storage services.</p></div>
<div class="post_author"><img src="https://static.ws.126.net/cnews/css13/img/end_news.png" alt="{source}">本文来源：{source} 责任编辑：{rng.choice(["王晓武_NN1234", "李媛_NBJ11279"])}</div></div>
<div class="post_comment" id="post_comment_area"><h3>跟贴</h3>{comments_zh(rng, 6)}</div>
<div class="post_recommends"><h3>相关推荐</h3>{link_list(rng, pool, 10, lambda r, i: f"https://www.163.com/dy/article/I{r.randrange(16**8):08X}0519DDQ2.html", "post_recommend", "", exclude=art["title"])}</div></div>
<div class="post_side"><div class="post_side_mod"><h2>热点新闻</h2>{link_list(rng, pool, 10, lambda r, i: f"https://www.163.com/news/article/I{r.randrange(16**8):08X}000189FH.html", "", "", exclude=art["title"])}</div>
<div class="post_side_ad"><a href="https://g.163.com/a?CID={rng.randrange(10**6)}"><img src="https://nimg.ws.126.net/?url=ad.jpg"></a></div></div></div>
<div class="N-footer"><p>网易公司版权所有 ©1997-2024 | 浙B2-20090185 | 粤B2-20090191 | 京ICP备16011162号</p></div>
<script>{js_blob(rng, "netease", 100)}</script></body></html>"""
    return page, UTF8


# ---------------------------------------------------------------------------
# 腾讯新闻 (window.DATA, content-article)
# ---------------------------------------------------------------------------


def render_qq(art, rng, pool):
    t = t_local(art)
    content = body(
        art,
        lambda s: f'<p class="one-p">{E(s)}</p>',
        lambda s: f'<p class="one-p"><strong>{E(s)}</strong></p>',
        lambda u, c: (
            f'<p class="one-p"><img class="content-picture" src="{u}"></p><p class="one-p">{E(c)}</p>'
        ),
    )
    data = {
        "article_id": art["url"].rsplit("/", 1)[1],
        "title": art["title"],
        "media": "腾讯新闻",
        "pubtime": t.strftime("%Y-%m-%d %H:%M:") + f"{secs(art):02d}",
        "catalog1": "news",
        "tags": ["新规"],
    }
    page = f"""<!DOCTYPE html><html lang="zh-CN"><head>
<meta charset="utf-8"><title>{E(art["title"])}_腾讯新闻</title>
<meta name="keywords" content="{E(art["title"][:4])}"><meta name="description" content="{E(desc_of(art))}">
<meta name="apub:time" content="{t.strftime("%Y/%m/%d %H:%M:")}{secs(art):02d}">
<style>{css_blob(rng, "qq-", 380)}</style>
<script>window.DATA = {json.dumps(data, ensure_ascii=False)};</script></head><body>
<div class="qq-top"><div class="logo"><a href="https://news.qq.com/"><img src="https://mat1.gtimg.com/www/images/qq2012/qqlogo_2x.png" alt="腾讯网"></a></div>
{menu([("要闻", "https://news.qq.com/"), ("财经", "https://new.qq.com/ch/finance/"), ("科技", "https://new.qq.com/ch/tech/"), ("娱乐", "https://new.qq.com/ch/ent/"), ("体育", "https://sports.qq.com/"), ("汽车", "https://new.qq.com/ch/auto/"), ("视频", "https://v.qq.com/")], "qq-nav")}</div>
<div class="qq-main"><div class="LEFT"><h1>{E(art["title"])}</h1>
<div class="media-info"><a class="media-name" href="https://new.qq.com/omn/author/5001234">{rng.choice(["南方都市报", "每日经济新闻", "中国新闻周刊"])}</a><span class="time">{t.strftime("%Y-%m-%d %H:%M")}</span><span class="area">发布于广东</span></div>
<div class="content clearfix"><div class="content-article">{content}</div></div>
<div class="article-tips"><p>*本文为腾讯新闻作者原创，未经授权禁止转载。</p></div>
<div class="recommend"><h3>为你推荐</h3>{link_list(rng, pool, 12, lambda r, i: f"https://new.qq.com/rain/a/2024030{r.randrange(1, 5)}A0{r.randrange(10**4):04d}00", "rec-list", "", exclude=art["title"])}</div>
<div class="comment"><h3>评论</h3>{comments_zh(rng, 5)}</div></div>
<div class="RIGHT"><div class="hot-rank"><h3>热点精选</h3>{link_list(rng, pool, 10, lambda r, i: f"https://new.qq.com/rain/a/2024030{r.randrange(1, 5)}A0{r.randrange(10**4):04d}00", "rank-list", "", exclude=art["title"])}</div></div></div>
<div class="qq-footer"><p>Copyright © 1998 - 2024 Tencent. All Rights Reserved. 腾讯公司 版权所有</p></div>
<script>{js_blob(rng, "qqnews", 100)}</script></body></html>"""
    return page, UTF8


# ---------------------------------------------------------------------------
# 人民网 (GB2312 label in a meta tag, GBK bytes, no charset in the header)
# ---------------------------------------------------------------------------


def render_people(art, rng, pool):
    t = t_local(art)
    channel = "时政" if "politics" in art["url"] else "经济·科技"
    content = body(
        art,
        lambda s: f'<p style="text-indent: 2em;">{E(s)}</p>',
        lambda s: f'<p style="text-indent: 2em;"><strong>{E(s)}</strong></p>',
        lambda u, c: (
            f'<table width="450" border="0" align="center"><tr><td align="center"><img src="{u}" width="450"></td></tr><tr><td align="center" class="picdesc"><font color="#000080">{E(c)}</font></td></tr></table>'
        ),
    )
    page = f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head>
<meta http-equiv="content-type" content="text/html;charset=GB2312"/>
<meta http-equiv="Content-Language" content="utf-8" />
<meta content="all" name="robots" />
<title>{E(art["title"])}--{channel}--人民网 </title>
<meta name="keywords" content="{E(art["title"][:4])}" />
<meta name="description" content="{E(desc_of(art))}" />
<meta name="publishdate" content="{t.strftime("%Y-%m-%d")}">
<meta name="author" content="{rng.randrange(10**6)}" />
<meta name="source" content="来源：人民网－人民日报" />
<meta name="contentid" content="{art["url"].rsplit("-", 1)[1].split(".")[0]}">
<link href="/img/2020wbc/css/page.css" type="text/css" rel="stylesheet" />
<style>{css_blob(rng, "rm_", 420)}</style></head><body>
<div class="header"><div class="w1000"><a href="http://www.people.com.cn/" class="logo"><img src="/img/2020wbc/imgs/logo.png" alt="人民网" /></a>
<div class="nav">{menu([("首页", "http://www.people.com.cn/"), ("时政", "http://politics.people.com.cn/"), ("国际", "http://world.people.com.cn/"), ("财经", "http://finance.people.com.cn/"), ("社会", "http://society.people.com.cn/"), ("科普", "http://kpzg.people.com.cn/"), ("观点", "http://opinion.people.com.cn/"), ("图片", "http://pic.people.com.cn/"), ("视频", "http://v.people.cn/"), ("人民号", "https://rmh.pdnews.cn/")], "navlist")}</div>
<div class="fr">人民网&gt;&gt;<a href="http://politics.people.com.cn/">{channel}</a></div></div></div>
<div class="main"><div class="w1000 cf"><div class="col col-1 fl">
<h3 class="pre"></h3><h1>{E(art["title"])}</h1><h4 class="sub"></h4>
<p class="author">{E("".join(art["authors"]))}</p>
<div class="col-1-1 fl">{t.year}年{t.month:02d}月{t.day:02d}日{t.strftime("%H:%M")} | 来源：<a href="http://paper.people.com.cn/" target="_blank">人民网－人民日报</a></div>
<div class="col-1-1 fr"><a>小字号</a><a class="share">分享到：</a></div>
<div class="rm_txt_con cf">{content}</div>
<div class="edit cf">(责编：{rng.choice(["袁勃", "王喆"])}、{rng.choice(["王喆", "岳弘彬"])})</div>
<div class="box_news cf"><h2>相关新闻</h2>{link_list(rng, pool, 10, lambda r, i: f"http://politics.people.com.cn/n1/2024/030{r.randrange(1, 5)}/c1001-4019{r.randrange(1000, 9999)}.html", "list_16", "", exclude=art["title"])}</div>
<div class="rm_txt_zs"><p>分享让更多人看到</p></div></div>
<div class="col col-2 fr"><div class="ph_list"><h2>推荐阅读</h2>{link_list(rng, pool, 10, lambda r, i: f"http://politics.people.com.cn/n1/2024/030{r.randrange(1, 5)}/c1001-4019{r.randrange(1000, 9999)}.html", "", "", exclude=art["title"])}</div></div></div></div>
<div class="footer"><p>人 民 网 股 份 有 限 公 司 版 权 所 有 ，未 经 书 面 授 权 禁 止 使 用</p><p>Copyright &copy; 1997-2024 by www.people.com.cn. all rights reserved</p></div>
<script src="http://tools.people.com.cn/css/2010tianrun/webdig_test.js" type="text/javascript"></script>
<script>{js_blob(rng, "people", 90)}</script></body></html>"""
    return page, "text/html"


# ---------------------------------------------------------------------------
# 新华网 (two generations: split year/day/time spans, and h-time)
# ---------------------------------------------------------------------------


def render_xinhuanet(art, rng, pool):
    t = t_local(art)
    content = body(
        art,
        lambda s: f"<p>　　{E(s)}</p>",
        lambda s: f"<p>　　<strong>{E(s)}</strong></p>",
        lambda u, c: f'<p align="center"><img src="{u}"></p><p align="center">{E(c)}</p>',
    )
    editor = f'<div class="editor">【责任编辑:{rng.choice(["黄艳", "毛思倩", "王晓"])}】</div>'
    if "/c.html" in art["url"]:
        head_time = (
            f'<div class="header-time left"><span class="year"><em> {t.year}</em></span><span class="day"><em> {t.month:02d}</em>/<em>{t.day:02d}</em></span>'
            f'<span class="time"> {t.strftime("%H:%M")}:{secs(art):02d}</span></div><div class="source">来源：新华网</div>'
        )
        header = f'<div class="header domPC"><div class="header-top clearfix">{head_time}</div><div class="head-line clearfix"><h1><span class="title">{E(art["title"])}</span><span class="btn-audio"></span></h1></div></div>'
    else:
        header = (
            f'<div class="h-title">{E(art["title"])}</div><div class="h-info"><span class="h-time">{t.strftime("%Y-%m-%d %H:%M")}:{secs(art):02d}</span>'
            f'<span>来源： 新华网</span></div><h1 style="display:none">{E(art["title"])}</h1>'
        )
    page = f"""<!DOCTYPE html><html><head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<meta name="viewport" content="width=device-width,initial-scale=1.0,maximum-scale=1.0,user-scalable=no" />
<title>{E(art["title"])}-新华网</title>
<meta name="keywords" content="{E(art["title"][:4])}" /><meta name="description" content="{E(desc_of(art))}" />
<meta name="apple-mobile-web-app-capable" content="yes" />
<link rel="stylesheet" href="http://www.news.cn/2021detail/css/detail.css" />
<style>{css_blob(rng, "xh-", 480)}</style></head><body>
<div class="topBar"><div class="logo"><a href="http://www.news.cn/"><img src="http://www.news.cn/2021homepro/images/logo.png" alt="新华网"></a></div>
{menu([("时政", "http://www.news.cn/politics/"), ("地方", "http://www.news.cn/local/"), ("国际", "http://www.news.cn/world/"), ("财经", "http://www.news.cn/fortune/"), ("思客", "http://www.news.cn/sike/"), ("科技", "http://www.news.cn/tech/"), ("体育", "http://www.news.cn/sports/"), ("视频", "http://www.news.cn/video/")], "nav")}</div>
<div class="main clearfix">{header}
<div class="main-left left"><div id="detail"><span id="detailContent">{content}</span>
{editor}</div>
<div class="fix-ewm domPC"><img src="http://www.news.cn/detail2020/images/ewm.png"><p>扫一扫在手机打开当前页</p></div>
<div class="relatedNews"><div class="tit">相关稿件</div>{link_list(rng, pool, 8, lambda r, i: f"http://www.news.cn/politics/2024030{r.randrange(1, 5)}/{r.randrange(16**16):016x}/c.html", "", "", exclude=art["title"])}</div></div>
<div class="main-right right"><div class="hotNews"><div class="tit">热点推荐</div>{link_list(rng, pool, 10, lambda r, i: f"http://www.news.cn/local/2024030{r.randrange(1, 5)}/{r.randrange(16**16):016x}/c.html", "", "", exclude=art["title"])}</div></div></div>
<div class="foot"><p>Copyright © 2000-2024 XINHUANET.com All Rights Reserved.</p><p>制作单位：新华网股份有限公司 版权所有：新华网股份有限公司</p></div>
<script>{js_blob(rng, "xinhua", 50)}</script></body></html>"""
    return page, UTF8


# ---------------------------------------------------------------------------
# 观察者网 (logo in an <h1>)
# ---------------------------------------------------------------------------


def render_guancha(art, rng, pool):
    t = t_local(art)
    content = body(
        art,
        lambda s: f"<p>{E(s)}</p>",
        lambda s: f"<p><strong>{E(s)}</strong></p>",
        lambda u, c: f'<p align="center"><img src="{u}" /></p><p align="center">{E(c)}</p>',
        boiler=lambda s: f"<p><strong>{E(s)}</strong></p>",
    )
    page = f"""<!DOCTYPE html><html><head>
<meta charset="utf-8"><title>{E(art["title"])}</title>
<meta name="Keywords" content="{E(art["title"][:4])}"><meta name="Description" content="{E(desc_of(art))}">
<style>{css_blob(rng, "gc-", 330)}</style>
<script>{analytics("8ab18ec6e3c7e3dbbea4c8b4b9c4a2f6")}</script></head><body>
<div class="header"><div class="header-top"><h1 class="logo"><a href="/"><img src="https://i.guancha.cn/images/logo.png" alt="观察者网"></a></h1>
{menu([("首页", "/"), ("国际", "/internation"), ("军事", "/military-affairs"), ("财经", "/economy"), ("科技", "/industry-science"), ("汽车", "/qiche"), ("观学院", "/GuanXueYuan"), ("专栏", "/WangZiLin/list_1.shtml")], "nav-list")}</div></div>
<div class="main content-main fix"><div class="left left-main">
<h3></h3><h1 class="title">{E(art["title"])}</h1>
<div class="time fix"><span>{t.strftime("%Y-%m-%d %H:%M")}:{secs(art):02d}</span><span>来源：观察者网</span><span>字号：<a>A-</a><a>A+</a></span></div>
<div class="content all-txt">{content}</div>
<div class="editor-intro">责任编辑：{rng.choice(["朱敏洁", "吴立群", "高莘"])}</div>
<div class="key-word fix">关键字：<a>欧盟</a><a>关税</a><a>贸易</a></div>
<div class="share-box"><span>分享到</span><a>微信</a><a>微博</a></div>
<div class="module-news"><h4>相关新闻</h4>{link_list(rng, pool, 10, lambda r, i: f"/internation/2024_03_0{r.randrange(1, 5)}_72{r.randrange(1000, 9999)}.shtml", "module-news-list", "", exclude=art["title"])}</div>
<div class="comment-box"><h4>评论</h4>{comments_zh(rng, 6)}</div></div>
<div class="right right-main"><div class="hot-news"><h4>最热文章</h4>{link_list(rng, pool, 10, lambda r, i: f"/economy/2024_03_0{r.randrange(1, 5)}_72{r.randrange(1000, 9999)}.shtml", "", "", exclude=art["title"])}</div></div></div>
<div class="footer"><p>Copyright © 2014-2024 观察者 All rights reserved. 沪ICP备10213822号-2</p></div>
<script>{js_blob(rng, "guancha", 60)}</script></body></html>"""
    return page, UTF8


# ---------------------------------------------------------------------------
# 凤凰网 (css-module class names, var allData)
# ---------------------------------------------------------------------------


def render_ifeng(art, rng, pool):
    t = t_local(art)
    content = body(
        art,
        lambda s: f"<p>{E(s)}</p>",
        lambda s: f"<p><strong>{E(s)}</strong></p>",
        lambda u, c: f'<p class="detailPic"><img src="{u}" alt="{E(c)}"></p><p class="picIntro">{E(c)}</p>',
    )
    source = rng.choice(["中国新闻网", "经济日报", "光明网"])
    data = {
        "docData": {
            "newsTime": t.strftime("%Y-%m-%d %H:%M:") + f"{secs(art):02d}",
            "title": art["title"],
            "source": source,
            "contentData": {"contentList": [{"data": content, "type": "text"}]},
        },
        "nav": [{"title": "资讯"}, {"title": "财经"}],
    }
    page = f"""<!DOCTYPE html><html><head>
<meta charset="utf-8"><title>{E(art["title"])}_凤凰网资讯_凤凰网</title>
<meta name="keywords" content="{E(art["title"][:4])}"><meta name="description" content="{E(desc_of(art))}">
<meta property="og:type" content="article"><meta property="og:url" content="{art["url"]}"><meta property="og:title" content="{E(art["title"])}">
<meta property="og:site_name" content="凤凰网">
<style>{css_blob(rng, "index_", 420)}</style>
<script>var allData = {inline_json(data)}; var adData = {{}};</script></head><body>
<div class="index_header_wrap_Xb3k1"><div class="index_logo_Z9q2w"><a href="https://www.ifeng.com/"><img src="https://x0.ifengimg.com/fe/shank/channel/logo.png" alt="凤凰网"></a></div>
{menu([("资讯", "https://news.ifeng.com/"), ("财经", "https://finance.ifeng.com/"), ("娱乐", "https://ent.ifeng.com/"), ("体育", "https://sports.ifeng.com/"), ("时尚", "https://fashion.ifeng.com/"), ("汽车", "https://auto.ifeng.com/"), ("房产", "https://house.ifeng.com/"), ("科技", "https://tech.ifeng.com/"), ("读书", "https://book.ifeng.com/"), ("文化", "https://culture.ifeng.com/")], "index_nav_Lk2m9")}</div>
<div class="index_main_aGf3o"><div class="index_leftContent_q2jE3">
<div class="index_artical_b4vW2"><div class="index_topic_T4s3d"><h1 class="index_topic_Lk2R9">{E(art["title"])}</h1>
<div class="index_info_F2r7b"><p class="index_time_p1h3F"><span>{t.year}年{t.month:02d}月{t.day:02d}日 {t.strftime("%H:%M")}:{secs(art):02d}</span><span><a href="#">来源：{source}</a></span></p>
<p class="index_share_x1"><span>分享</span><span>评论 {rng.randrange(900)}</span></p></div></div>
<div class="index_main_content_j-HoG"><div class="index_text_D0U1y">{content}</div></div>
<p class="index_editor_k3">[责任编辑：{rng.choice(["张艳雪 PN078", "李泽红 PN091"])}]</p>
<div class="index_statement_Y2"><p>特别声明：以上文章内容仅代表作者本人观点，不代表凤凰网观点或立场。如有关于作品内容、版权或其它问题请于作品发表后的30日内与凤凰网联系。</p></div></div>
<div class="index_relate_y7P1m"><h4>相关新闻</h4>{link_list(rng, pool, 10, lambda r, i: f"https://news.ifeng.com/c/8{r.randrange(36**9):x}", "", "", exclude=art["title"])}</div>
<div class="index_comment_u1"><h4>热门评论</h4>{comments_zh(rng, 5)}</div></div>
<div class="index_rightContent_b1"><div class="index_hot_Q1"><h4>24小时热点</h4>{link_list(rng, pool, 10, lambda r, i: f"https://news.ifeng.com/c/8{r.randrange(36**9):x}", "", "", exclude=art["title"])}</div></div></div>
<div class="index_footer_Gh1"><p>Copyright © 2024 Phoenix New Media Limited All Rights Reserved.</p></div>
<script>{js_blob(rng, "ifeng", 90)}</script></body></html>"""
    return page, UTF8


# ---------------------------------------------------------------------------
# 今日头条
# ---------------------------------------------------------------------------


def render_toutiao(art, rng, pool):
    t = t_local(art)
    content = body(
        art,
        lambda s: f'<p data-track="{rng.randrange(1, 40)}">{E(s)}</p>',
        lambda s: f"<h1>{E(s)}</h1>",
        lambda u, c: (
            f'<div class="pgc-img"><img src="{u}" img_width="1080"><p class="pgc-img-caption">{E(c)}</p></div>'
        ),
    )
    page = f"""<!DOCTYPE html><html><head>
<meta charset="utf-8"><title>{E(art["title"])} - 今日头条</title>
<meta name="description" content="{E(desc_of(art))}">
<meta property="og:type" content="article"><meta property="og:title" content="{E(art["title"])}">
<style>{css_blob(rng, "syl-", 400)}</style></head><body>
<div id="root"><div class="toutiao-header"><a class="logo" href="https://www.toutiao.com/"><img src="https://lf3-static.bytednsdoc.com/obj/eden-cn/logo.svg" alt="今日头条"></a>
{menu([("首页", "/"), ("推荐", "/?channel=recommend"), ("热点", "/?channel=hot"), ("财经", "/?channel=finance"), ("科技", "/?channel=tech"), ("娱乐", "/?channel=entertainment")], "header-nav")}<a class="login-button">登录</a></div>
<div class="main"><div class="article-content"><h1>{E(art["title"])}</h1>
<div class="article-meta"><span class="original-mark">原创</span><span class="dot">·</span><span class="name"><a href="/c/user/token/MS4wLjAB{rng.randrange(10**8)}/">{E(" ".join(art["authors"]))}</a></span><span class="dot">·</span><span>{t.strftime("%Y-%m-%d %H:%M")}</span><span class="dot">·</span><span>头条原创</span></div>
<article class="syl-article-base tt-article-content syl-page-article syl-device-pc">{content}</article>
<div class="article-actions"><span>{rng.randrange(500)}赞</span><span>{rng.randrange(200)}评论</span><span>收藏</span><span>分享</span></div></div>
<div class="right-sidebar"><div class="author-card"><div class="name">{E(" ".join(art["authors"]))}</div><div class="desc">专注数码测评，优质科技领域创作者</div><a class="follow">关注</a></div>
<div class="hot-board"><h3>头条热榜</h3>{link_list(rng, pool, 12, lambda r, i: f"/trending/{7340000000000000000 + r.randrange(10**12)}/", "", "", exclude=art["title"])}</div></div></div>
<div class="related"><h3>相关推荐</h3>{link_list(rng, pool, 10, lambda r, i: f"/article/{7340000000000000000 + r.randrange(10**12)}/", "", "", exclude=art["title"])}</div>
<div class="footer"><p>© 2024 今日头条 京ICP证140141号 京ICP备12025439号-3</p></div></div>
<script>{js_blob(rng, "toutiao", 110)}</script></body></html>"""
    return page, UTF8


# ---------------------------------------------------------------------------
# English outlets
# ---------------------------------------------------------------------------


def _en_related(rng, n, href, cls=""):
    return link_list(rng, HEADLINES_EN, n, href, cls, "")


def render_reuters(art, rng, pool):
    t = art["time"]
    iso = t.strftime("%Y-%m-%dT%H:%M:") + f"{secs(art):02d}.{rng.randrange(1000):03d}Z"
    paras = [x for x in art["blocks"] if x[0] == "P"]
    content = "\n".join(
        f'<div data-testid="paragraph-{i}" class="text__text__1FZLe text__dark-grey__3Ml43 body__full_width__ekUdw body__large_body__FV5_X article-body__paragraph__2-BtD">{E(s)}</div>'
        for i, (_, s, _) in enumerate(paras)
    )
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": art["title"],
        "datePublished": iso,
        "dateModified": iso,
        "author": [{"@type": "Person", "name": a} for a in art["authors"]],
        "publisher": {"@type": "Organization", "name": "Reuters"},
        "description": art["lead"],
    }
    page = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{E(art["title"])} | Reuters</title>
<meta name="description" content="{E(art["lead"])}"><meta property="og:title" content="{E(art["title"])}">
<meta property="og:site_name" content="Reuters"><meta property="og:type" content="article">
<meta property="og:url" content="{art["url"]}"><link rel="canonical" href="{art["url"]}">
<meta name="article:published_time" content="{iso}">
<script type="application/ld+json">{json.dumps(ld)}</script>
<style>{css_blob(rng, "media-story-card__", 380)}</style></head><body><div id="fusion-app">
<header class="site-header__container"><a href="/" aria-label="Reuters logo"><svg viewBox="0 0 100 20"><path d="M0 0h10v20H0z"/></svg></a>
{menu([("World", "/world/"), ("Business", "/business/"), ("Markets", "/markets/"), ("Sustainability", "/sustainability/"), ("Legal", "/legal/"), ("Breakingviews", "/breakingviews/"), ("Technology", "/technology/"), ("Investigations", "/investigates/")], "nav-bar")}
<button>Sign In</button><button>Register</button></header>
<main id="main-content"><article class="article__container__2-Yhr"><div class="article-header__heading__15OpQ">
<nav class="article-header__breadcrumbs"><a href="/markets/">Markets</a></nav>
<h1 data-testid="Heading" class="text__text__1FZLe text__dark-grey__3Ml43 text__medium__1kbOh heading__base__2T28j">{E(art["title"])}</h1>
<div class="article-header__toolbar"><address class="info-content__author-date__1Epi_">By {" and ".join(f'<a href="/authors/{a.lower().replace(" ", "-")}/">{E(a)}</a>' for a in art["authors"])}</address>
<time datetime="{iso}" class="date-line__date__23Ge-"><span>{t.strftime("%B")} {t.day}, {t.year}</span><span>{int(t.strftime("%I"))}:{t.strftime("%M")} {t.strftime("%p")} GMT</span><span>Updated {rng.randrange(2, 9)} hours ago</span></time></div></div>
<div class="article-body__container__3ypuX"><div class="article-body__content__17Yit">
{content}
<p class="sign-off-text__text__1dn58">Reporting by {E(" and ".join(art["authors"]))}; Editing by Sam Holmes</p></div>
<div class="trust-badge"><a href="https://www.thomsonreuters.com/en/about-us/trust-principles.html">Our Standards: The Thomson Reuters Trust Principles.</a></div>
<div class="read-next"><h2>Read Next</h2>{_en_related(rng, 6, lambda r, i: f"/world/story-{r.randrange(10**6)}-2024-03-0{r.randrange(1, 5)}/")}</div></div></article>
<aside class="more-from-reuters"><h2>More from Reuters</h2>{_en_related(rng, 8, lambda r, i: f"/business/item-{r.randrange(10**6)}/")}</aside></main>
<footer class="site-footer"><p>All quotes delayed a minimum of 15 minutes. See here for a complete list of exchanges and delays.</p><p>© 2024 Reuters. All rights reserved</p></footer></div>
<script>{js_blob(rng, "reuters", 90)}</script></body></html>"""
    return page, UTF8


def render_bbc(art, rng, pool):
    t = art["time"]
    iso = t.strftime("%Y-%m-%dT%H:%M:") + f"{secs(art):02d}.000Z"
    blocks = []
    for kind, s, _extra in art["blocks"]:
        if kind == "P":
            blocks.append(
                f'<div data-component="text-block" class="ssrcss-11r1m41-RichTextComponentWrapper ep2nwvo0"><div class="ssrcss-7uxr49-RichTextContainer e5tfeyi1"><p class="ssrcss-1q0x1qg-Paragraph e1jhz7w10">{E(s)}</p></div></div>'
            )
        elif kind == "H":
            blocks.append(
                f'<div data-component="subheadline-block" class="ssrcss-1f3bvyz-StyledComponentWrapper"><h2 class="ssrcss-1f4m5fx-StyledHeading e10rt3ze0">{E(s)}</h2></div>'
            )
    blocks.insert(
        3,
        f'<div data-component="links-block" class="ssrcss-1ocoo3l-Wrap"><p><b>Read more:</b></p><ul><li><a href="/news/science-environment-{rng.randrange(10**8)}">What is coral bleaching?</a></li><li><a href="/news/world-{rng.randrange(10**8)}">Great Barrier Reef hit again</a></li></ul></div>',
    )
    ld = {
        "@context": "http://schema.org",
        "@type": "ReportageNewsArticle",
        "url": art["url"],
        "headline": art["title"],
        "datePublished": iso,
        "dateModified": iso,
        "author": {"@type": "Person", "name": art["authors"][0]},
        "publisher": {"@type": "NewsMediaOrganization", "name": "BBC News"},
    }
    page = f"""<!DOCTYPE html><html lang="en-GB" class="no-js"><head><meta charset="utf-8">
<title>{E(art["title"])} - BBC News</title>
<meta name="description" content="{E(art["lead"] or art["blocks"][0][1][:150])}">
<meta property="og:title" content="{E(art["title"])}"><meta property="og:site_name" content="BBC News">
<meta property="og:type" content="article"><meta property="og:url" content="{art["url"]}"><link rel="canonical" href="{art["url"]}">
<script type="application/ld+json">{json.dumps(ld)}</script>
<style>{css_blob(rng, "ssrcss-", 450)}</style></head><body><div id="main-wrapper">
<header data-e2e="header"><a href="https://www.bbc.co.uk">BBC Homepage</a>{menu([("Home", "/"), ("News", "/news"), ("Sport", "/sport"), ("Weather", "/weather"), ("iPlayer", "/iplayer"), ("Sounds", "/sounds"), ("Bitesize", "/bitesize")], "ssrcss-nav")}
<a href="/account">Your account</a></header>
<nav class="ssrcss-subnav">{menu([("Israel-Gaza war", "/news/topics/c2vdnvdg6xxt"), ("War in Ukraine", "/news/world-60525350"), ("Climate", "/news/science_and_environment"), ("Video", "/news/av"), ("World", "/news/world"), ("UK", "/news/uk"), ("Business", "/news/business"), ("Tech", "/news/technology")], "ssrcss-subnav-list")}</nav>
<main id="main-content" data-testid="main-content"><article class="ssrcss-pv1rh6-ArticleWrapper e1nh2i2l5">
<header class="ssrcss-1eqcsb1-HeadingWrapper e1nh2i2l4"><h1 id="main-heading" class="ssrcss-15xko80-StyledHeading e10rt3ze0">{E(art["title"])}</h1></header>
<div data-component="byline-block" class="ssrcss-68pt20-Text-TextContributorName"><div>By {E(art["authors"][0])}</div><div>Climate and science reporter</div></div>
<div data-component="metadata-block"><time data-testid="timestamp" datetime="{iso}">{t.day} {t.strftime("%B")} {t.year}</time></div>
<div data-component="image-block"><figure><img src="https://ichef.bbci.co.uk/news/976/cpsprodpb/{rng.randrange(16**6):x}/reef.jpg" alt="Bleached coral" width="976"><figcaption class="ssrcss-1ibo3ve-Caption"><span>Getty Images</span></figcaption></figure></div>
{chr(10).join(blocks)}
<div data-component="topic-list"><h2>Related Topics</h2><ul><li><a href="/news/topics/c4dmz5zz0eyt">Oceans</a></li><li><a href="/news/topics/cmj34zmwm1zt">Climate change</a></li></ul></div>
</article><section data-component="more-on-this-story"><h2>More on this story</h2>{_en_related(rng, 4, lambda r, i: f"/news/world-{r.randrange(10**8)}")}</section>
<section data-component="top-stories"><h2>Top Stories</h2>{_en_related(rng, 8, lambda r, i: f"/news/uk-{r.randrange(10**8)}")}</section></main>
<footer><p>Copyright 2024 BBC. All rights reserved. The BBC is not responsible for the content of external sites. Read about our approach to external linking.</p></footer></div>
<script>window.__INITIAL_DATA__="{{\\"data\\":{{\\"article\\":true}}}}";</script><script>{js_blob(rng, "bbc", 100)}</script></body></html>"""
    return page, UTF8


def render_guardian(art, rng, pool):
    t = art["time"]
    iso = t.strftime("%Y-%m-%dT%H:%M:") + f"{secs(art):02d}.000Z"
    paras = "\n".join(f'<p class="dcr-1xdhyk6">{E(s)}</p>' for k, s, _ in art["blocks"] if k == "P")
    ld = [
        {
            "@type": "NewsArticle",
            "@context": "https://schema.org",
            "@id": art["url"],
            "headline": art["title"],
            "datePublished": iso,
            "author": [{"@type": "Person", "name": art["authors"][0]}],
            "publisher": {"@type": "Organization", "name": "The Guardian"},
        }
    ]
    page = f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{E(art["title"])} | Butterflies | The Guardian</title>
<meta name="description" content="{E(art["lead"])}"><meta property="og:title" content="{E(art["title"])}">
<meta property="og:site_name" content="the Guardian"><meta property="og:type" content="article">
<meta property="article:published_time" content="{iso}"><meta property="article:section" content="Environment">
<link rel="canonical" href="{art["url"]}">
<script type="application/ld+json">{json.dumps(ld)}</script>
<style>{css_blob(rng, "dcr-", 480)}</style></head><body>
<header><a href="https://support.theguardian.com/contribute">Support the Guardian</a><a href="/">The Guardian - Back to home</a>
{menu([("News", "/"), ("Opinion", "/commentisfree"), ("Sport", "/sport"), ("Culture", "/culture"), ("Lifestyle", "/lifeandstyle")], "dcr-nav")}</header>
<main data-layout="StandardLayout"><article><div data-gu-name="headline"><h1 class="dcr-1ljk0ew">{E(art["title"])}</h1></div>
<div data-gu-name="standfirst"><p>{E(art["lead"])}</p></div>
<div data-gu-name="meta"><address aria-label="Contributor info"><a rel="author" href="/profile/{art["authors"][0].lower().replace(" ", "")}">{E(art["authors"][0])}</a></address>
<details><summary>{t.strftime("%a")} {t.day} {t.strftime("%b")} {t.year} {t.strftime("%H.%M")} GMT</summary><span>Last modified on {t.strftime("%a")} {t.day} {t.strftime("%b")} {t.year} 20.02 GMT</span></details>
<div><a>Share</a></div></div>
<div id="maincontent" data-gu-name="body"><div class="article-body-commercial-selector article-body-viewer-selector dcr-1r94quw">
{paras}
<aside class="ad-slot-container"><div class="ad-slot ad-slot--inline"><p>Advertisement</p></div></aside>
</div><div class="submeta"><ul><li><a href="/environment/butterflies">Butterflies</a></li><li><a href="/environment/wildlife">Wildlife</a></li><li><a href="/environment/insects">Insects</a></li><li><a href="/environment/conservation">Conservation</a></li></ul></div></div>
<div class="contributions-epic"><h2>I hope you appreciated this article.</h2><p>Before you move on, I was hoping you would consider taking the step of supporting the Guardian’s journalism. From Elon Musk to Rupert Murdoch, a small number of billionaire owners have a powerful hold on so much of the information that reaches the public about what’s happening in the world.</p><a>Support us</a></div>
</article><section><h2>Most viewed</h2>{_en_related(rng, 10, lambda r, i: f"/world/2024/mar/0{r.randrange(1, 5)}/story-{r.randrange(10**6)}", "most-viewed")}</section>
<section><h2>More on this story</h2>{_en_related(rng, 4, lambda r, i: f"/environment/2024/feb/{r.randrange(10, 28)}/story-{r.randrange(10**6)}")}</section></main>
<footer><p>© 2024 Guardian News &amp; Media Limited or its affiliated companies. All rights reserved.</p></footer>
<script>window.guardian={{"config":{{"page":{{"contentType":"Article","section":"environment","pageId":"{art["url"].split(".com/", 1)[1]}"}}}}}};</script>
<script>{js_blob(rng, "guardian", 90)}</script></body></html>"""
    return page, UTF8


def render_apnews(art, rng, pool):
    t = art["time"]
    iso = t.strftime("%Y-%m-%dT%H:%M:") + f"{secs(art):02d}Z"
    est = t - timedelta(hours=5)
    paras = "\n".join(f"<p>{E(s)}</p>" for k, s, _ in art["blocks"] if k == "P")
    paras = paras.replace(
        "</p>\n", '</p>\n<div class="Enhancement"><div class="Advertisement">ADVERTISEMENT</div></div>\n', 2
    )
    page = f"""<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">
<title>{E(art["title"])} | AP News</title>
<meta name="description" content="{E(art["blocks"][0][1][:150])}"><meta property="og:title" content="{E(art["title"])}">
<meta property="og:site_name" content="AP News"><meta property="og:type" content="article">
<meta property="article:published_time" content="{iso}"><meta property="article:modified_time" content="{iso}">
<meta name="author" content="{E(art["authors"][0])}"><link rel="canonical" href="{art["url"]}">
<style>{css_blob(rng, "Page-", 420)}</style></head><body><div class="Page-header">
<a class="Page-header-logo" href="https://apnews.com/"><img alt="AP Logo" src="https://apnews.com/logo.svg"></a>
{menu([("World", "/world-news"), ("U.S.", "/us-news"), ("Politics", "/politics"), ("Sports", "/sports"), ("Entertainment", "/entertainment"), ("Business", "/business"), ("Science", "/science"), ("Fact Check", "/ap-fact-check")], "Page-header-navigation")}</div>
<main class="Page-main"><div class="Page-content"><div class="Page-headline"><h1 class="Page-headline">{E(art["title"])}</h1></div>
<div class="Page-byline"><div class="Page-authors">By <a class="Link" href="https://apnews.com/author/jill-lawless">{E(art["authors"][0]).upper()}</a></div>
<div class="Page-dateModified"><bsp-timestamp data-timestamp="{int(t.timestamp() * 1000)}"><span>Updated {int(est.strftime("%I"))}:{est.strftime("%M")} {est.strftime("%p")} EST, {est.strftime("%B")} {est.day}, {est.year}</span></bsp-timestamp></div></div>
<div class="Page-actions"><a>Share</a><a>Copy Link</a></div>
<div class="RichTextStoryBody RichTextBody">{paras}
<p>___</p><p>Follow AP’s coverage of volcanoes at https://apnews.com/hub/volcanoes</p></div>
<div class="Page-below"><h2>Related Stories</h2>{_en_related(rng, 6, lambda r, i: f"/article/story-{r.randrange(16**12):x}")}</div></div>
<aside class="Page-aside"><h2>Most Read</h2>{_en_related(rng, 8, lambda r, i: f"/article/read-{r.randrange(16**12):x}")}</aside></main>
<footer class="Page-footer"><p>Copyright 2024 The Associated Press. All Rights Reserved.</p></footer>
<script>{js_blob(rng, "apnews", 110)}</script></body></html>"""
    return page, UTF8


# ---------------------------------------------------------------------------
# 聯合新聞網 (traditional Chinese; Big5 in the encoding fixtures)
# ---------------------------------------------------------------------------


def render_udn(art, rng, pool):
    t = t_local(art)
    content = body(
        art,
        lambda s: f"<p>{E(s)}</p>",
        lambda s: f"<h2>{E(s)}</h2>",
        lambda u, c: f'<figure class="photo_center"><img src="{u}"><figcaption>{E(c)}</figcaption></figure>',
    )
    page = f"""<!DOCTYPE html><html lang="zh-Hant-TW"><head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{E(art["title"])} | 生活新聞 | 生活 | 聯合新聞網</title>
<meta name="description" content="{E(desc_of(art))}"><meta property="og:title" content="{E(art["title"])}">
<meta property="og:site_name" content="聯合新聞網"><meta name="date" content="{t.strftime("%Y/%m/%d %H:%M:")}{secs(art):02d}">
<style>{css_blob(rng, "udn-", 420)}</style></head><body>
<header class="header"><a class="logo" href="https://udn.com/news/index"><img src="https://udn.com/static/img/logo.svg" alt="聯合新聞網"></a>
{menu([("即時", "/news/breaknews/1"), ("要聞", "/news/cate/2/6638"), ("娛樂", "https://stars.udn.com/"), ("運動", "/news/cate/2/7227"), ("全球", "/news/cate/2/7225"), ("社會", "/news/cate/2/6639"), ("地方", "/news/cate/2/6641"), ("產經", "/news/cate/2/6644"), ("股市", "/news/cate/2/6645"), ("生活", "/news/cate/2/6649")], "navigation-list")}</header>
<main class="main"><div class="wrapper-left"><section class="article-content">
<h1 class="article-content__title">{E(art["title"])}</h1>
<div class="article-content__info"><section class="authors"><time class="article-content__time">{t.strftime("%Y-%m-%d %H:%M")}</time><span class="article-content__author">聯合報／ 記者{E(art["authors"][0])}／即時報導</span></section></div>
<section class="article-content__editor">{content}</section>
<section class="article-content__related"><h3>延伸閱讀</h3><ul><li><a href="/news/story/7266/7801234">梅雨季將至 氣象署提醒留意強降雨</a></li><li><a href="/news/story/7266/7798765">水庫蓄水率回升 中南部供水穩定</a></li><li><a href="/news/story/7266/7790001">防汛演練登場 抽水機預布重點區域</a></li></ul></section>
<div class="article-content__tag"><a>颱風</a><a>水利署</a><a>防汛</a></div></section>
<section class="more-news"><h3>推薦文章</h3><ul><li><a href="/news/story/6656/7811111">高鐵連假加開班次 今起開放訂票</a></li><li><a href="/news/story/6656/7811112">健保新制上路 門診部分負擔調整</a></li><li><a href="/news/story/6656/7811113">台股收盤上漲 電子股領軍</a></li></ul></section></div>
<aside class="wrapper-right"><section class="popular"><h3>熱門新聞</h3><ul><li><a href="/news/story/1/7812001">天氣回暖 週末高溫上看三十度</a></li><li><a href="/news/story/1/7812002">國際書展閉幕 參觀人次創新高</a></li><li><a href="/news/story/1/7812003">油價連兩週調漲 汽油每公升漲兩角</a></li></ul></section></aside></main>
<footer class="footer"><p>Copyright &copy; 2024 udn.com. All Rights Reserved. 聯合線上公司 著作權所有</p></footer>
<script>{js_blob(rng, "udn", 120)}</script></body></html>"""
    return page, UTF8


# ---------------------------------------------------------------------------
# Held-out outlets: written after the extractor was frozen (see __main__.HOLDOUT)
# ---------------------------------------------------------------------------


def render_chinanews(art, rng, pool):
    t = t_local(art)
    content = body(
        art,
        lambda s: f"<p>　　{E(s)}</p>",
        lambda s: f"<p>　　<b>{E(s)}</b></p>",
        lambda u, c: f'<div class="left_ph"><img src="{u}"><p>{E(c)}</p></div>',
    )
    page = f"""<!DOCTYPE html><html><head><meta charset="UTF-8"><title>{E(art["title"])}-中新网</title>
<meta name="keywords" content="{E(art["title"][:4])}"><meta name="description" content="{E(desc_of(art))}">
<meta name="filetype" content="0"><meta name="publishedtype" content="1"><meta name="pagetype" content="1">
<style>{css_blob(rng, "cn-", 460)}</style></head><body>
<div class="topnav">{menu([("首页", "/"), ("滚动", "/scroll-news/news1.html"), ("时政", "/china/"), ("国际", "/world/"), ("财经", "/finance/"), ("社会", "/society/"), ("文娱", "/cul/"), ("体育", "/sports/")], "navlist")}</div>
<div class="con_left"><div class="content_maincontent_more"><h1 class="content_left_title">{E(art["title"])}</h1>
<div class="content_left_time">{t.year}年{t.month:02d}月{t.day:02d}日 {t.strftime("%H:%M")}　来源：中国新闻网 <a class="share">分享到：</a></div>
<div class="left_zw" style="position:relative">{content}
<div class="adInContent"><script>document.write('<a href="https://ad.chinanews.com/"><img src="https://ad.chinanews.com/a.jpg"></a>');</script></div>
<p>　　(完)</p></div>
<div class="left_name"><div class="left_name">【编辑:{rng.choice(["刘欢", "张子怡"])}】</div></div>
<div class="fenxiang">分享到</div></div>
<div class="xgxw"><div class="title">相关新闻</div>{link_list(rng, pool, 8, lambda r, i: f"/gn/2024/03-0{r.randrange(1, 5)}/1017{r.randrange(1000, 9999)}.shtml", "", "", exclude=art["title"])}</div></div>
<div class="con_right"><div class="rank"><div class="title">排行榜</div>{link_list(rng, pool, 10, lambda r, i: f"/sh/2024/03-0{r.randrange(1, 5)}/1017{r.randrange(1000, 9999)}.shtml", "", "", exclude=art["title"])}</div></div>
<div class="bottom"><p>Copyright ©1999-2024 chinanews.com. All Rights Reserved</p></div>
<script>{js_blob(rng, "chinanews", 110)}</script></body></html>"""
    return page, UTF8


def render_bjnews(art, rng, pool):
    t = t_local(art)
    content = body(
        art,
        lambda s: f"<p>{E(s)}</p>",
        lambda s: f"<p><strong>{E(s)}</strong></p>",
        lambda u, c: f'<p><img src="{u}"></p><p>{E(c)}</p>',
    )
    page = f"""<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{E(art["title"])} | 新京报</title>
<meta name="description" content="{E(desc_of(art))}"><meta property="og:title" content="{E(art["title"])}">
<style>{css_blob(rng, "bj-", 480)}</style></head><body>
<div class="header"><a class="logo" href="/"><img src="https://static.bjnews.com.cn/www/v5/img/logo.png" alt="新京报"></a>
{menu([("首页", "/"), ("时事", "/news"), ("北京", "/beijing"), ("财经", "/financial"), ("文化", "/culture"), ("评论", "/opinion")], "nav")}</div>
<div class="bodyTitle"><div class="content"><div class="title">{E(art["title"])}</div>
<div class="ntime"><span class="reporter">新京报记者 {E(" ".join(art["authors"]))}</span><span class="left-time"><span class="timer">{t.strftime("%Y-%m-%d %H:%M")}</span></span></div></div></div>
<div class="contentBox"><div class="content"><div id="contentStr" class="contentStr">{content}</div>
<div class="contentEditor"><p>编辑 {rng.choice(["杨海", "陈思"])}</p><p>校对 {rng.choice(["赵琳", "刘军"])}</p></div>
<div class="bottomTags"><a>公园</a><a>北京</a></div></div>
<div class="rightBox"><div class="hotList"><h3>热点新闻</h3>{link_list(rng, pool, 10, lambda r, i: f"/detail/17096{r.randrange(10**11)}.html", "", "", exclude=art["title"])}</div></div></div>
<div class="recommend"><h3>推荐阅读</h3>{link_list(rng, pool, 8, lambda r, i: f"/detail/17096{r.randrange(10**11)}.html", "", "", exclude=art["title"])}</div>
<div class="footer"><p>新京报社 版权所有 京ICP备09027014号</p></div>
<script>{js_blob(rng, "bjnews", 100)}</script></body></html>"""
    return page, UTF8


def render_sohu(art, rng, pool):
    t = t_local(art)
    content = body(
        art,
        lambda s: f"<p>{E(s)}</p>",
        lambda s: f"<h2>{E(s)}</h2>",
        lambda u, c: (
            f'<p style="text-align:center"><img src="{u}"></p><p style="text-align:center">{E(c)}</p>'
        ),
    )
    page = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{E(art["title"])}_汽车_价格_消费者</title>
<meta name="description" content="{E(desc_of(art))}"><meta property="og:type" content="news"><meta property="og:title" content="{E(art["title"])}">
<meta property="og:release_date" content="{t.strftime("%Y-%m-%d %H:%M")}"><meta name="mediaid" content="{E(" ".join(art["authors"]))}">
<style>{css_blob(rng, "sohu-", 460)}</style></head><body>
<header class="head"><a href="https://www.sohu.com/" class="logo">搜狐</a>{menu([("新闻", "https://news.sohu.com/"), ("体育", "https://sports.sohu.com/"), ("汽车", "https://auto.sohu.com/"), ("房产", "https://house.sohu.com/"), ("旅游", "https://travel.sohu.com/"), ("教育", "https://learning.sohu.com/")], "nav")}</header>
<div class="article-page"><div class="left main"><div class="text"><div class="text-title"><h1>{E(art["title"])}</h1>
<div class="article-info"><span class="time" id="news-time" data-val="{int(art["time"].timestamp() * 1000)}">{t.strftime("%Y-%m-%d %H:%M")}</span><span data-role="original-link">来源: <a>{E(" ".join(art["authors"]))}</a></span></div></div>
<article class="article" id="mp-editor">{content}
<p data-role="editor-name">责任编辑：<span></span></p></article>
<div id="articleAllsee"><a href="/a/{rng.randrange(10**9)}">返回搜狐，查看更多</a></div>
<div class="statement">平台声明：该文观点仅代表作者本人，搜狐号系信息发布平台，搜狐仅提供信息存储空间服务。</div></div>
<div class="god-article-bottom"><h3>推荐阅读</h3>{link_list(rng, pool, 10, lambda r, i: f"/a/76{r.randrange(10**7)}_121{r.randrange(10**6)}", "", "", exclude=art["title"])}</div>
<div class="comment" id="comment_area">{comments_zh(rng, 4)}</div></div>
<div class="sidebar right"><div class="hot-article"><h3>24小时热文</h3>{link_list(rng, pool, 10, lambda r, i: f"/a/76{r.randrange(10**7)}_121{r.randrange(10**6)}", "", "", exclude=art["title"])}</div></div></div>
<footer><p>Copyright © 2024 Sohu All Rights Reserved. 搜狐公司 版权所有</p></footer>
<script>{js_blob(rng, "sohu", 100)}</script></body></html>"""
    return page, UTF8


def render_cctv(art, rng, pool):
    t = t_local(art)
    content = body(
        art,
        lambda s: f"<p>{E(s)}</p>",
        lambda s: f"<p><strong>{E(s)}</strong></p>",
        lambda u, c: (
            f'<p style="text-align: center;"><img src="{u}"></p><p style="text-align: center;">{E(c)}</p>'
        ),
    )
    page = f"""<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"><title>{E(art["title"])}_新闻频道_央视网(cctv.com)</title>
<meta name="keywords" content="{E(art["title"][:4])}"><meta name="description" content="{E(desc_of(art))}">
<meta name="spm-id" content="C94212.P4YnMod9m2uD"><style>{css_blob(rng, "cctv-", 460)}</style>
<script>var itemid1="ARTI{rng.randrange(10**10)}";var commentTitle="{E(art["title"])}";var pubtime="{t.strftime("%Y-%m-%d %H:%M:%S")}";</script></head><body>
<div class="nav_wrapper">{menu([("首页", "https://www.cctv.com/"), ("新闻", "https://news.cctv.com/"), ("体育", "https://sports.cctv.com/"), ("综艺", "https://tv.cctv.com/yxg/"), ("纪录", "https://tv.cctv.com/jilu/")], "nav")}</div>
<div class="column_wrapper"><div class="col_w660"><div class="title_area"><h1>{E(art["title"])}</h1>
<div class="info1">来源：央视网 | {t.year}年{t.month:02d}月{t.day:02d}日 {t.strftime("%H:%M")}</div></div>
<div class="content_area" id="content_area">{content}</div>
<div class="zebian"><p>编辑：{rng.choice(["王鹏", "刘亮"])}　责任编辑：{rng.choice(["刘亮", "张瑶"])}</p></div>
<div class="share_area">分享到：</div>
<div class="xgyd"><h3>相关阅读</h3>{link_list(rng, pool, 8, lambda r, i: f"https://news.cctv.com/2024/03/0{r.randrange(1, 5)}/ARTI{r.randrange(10**12)}.shtml", "", "", exclude=art["title"])}</div></div>
<div class="col_w300"><div class="ranking"><h3>热榜</h3>{link_list(rng, pool, 10, lambda r, i: f"https://news.cctv.com/2024/03/0{r.randrange(1, 5)}/ARTI{r.randrange(10**12)}.shtml", "", "", exclude=art["title"])}</div></div></div>
<div class="footer"><p>央视网版权所有 京ICP证060535号</p></div>
<script>{js_blob(rng, "cctv", 100)}</script></body></html>"""
    return page, UTF8


def render_cnn(art, rng, pool):
    t = art["time"]
    iso = t.strftime("%Y-%m-%dT%H:%M:") + f"{secs(art):02d}.{rng.randrange(1000):03d}Z"
    paras = "\n".join(
        f'<p class="paragraph inline-placeholder" data-component-name="paragraph">{E(s)}</p>'
        for k, s, _ in art["blocks"]
        if k == "P"
    )
    paras = paras.replace(
        "</p>\n",
        '</p>\n<div class="ad-slot-dynamic"><div class="ad-feedback-link">Ad Feedback</div></div>\n',
        1,
    )
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": art["title"],
        "datePublished": iso,
        "author": [{"@type": "Person", "name": art["authors"][0]}],
    }
    page = f"""<!DOCTYPE html><html lang="en" data-uri="cms.cnn.com/_pages/x"><head><meta charset="utf-8">
<title>{E(art["title"])} | CNN</title><meta name="description" content="{E(art["blocks"][0][1][:150])}">
<meta property="og:title" content="{E(art["title"])}"><meta property="og:site_name" content="CNN"><meta property="og:type" content="article">
<meta name="pubdate" content="{iso}"><link rel="canonical" href="{art["url"]}">
<script type="application/ld+json">{json.dumps(ld)}</script><style>{css_blob(rng, "header__", 480)}</style></head><body>
<header class="header">{menu([("US", "/us"), ("World", "/world"), ("Politics", "/politics"), ("Business", "/business"), ("Health", "/health"), ("Entertainment", "/entertainment"), ("Style", "/style"), ("Travel", "/travel"), ("Sports", "/sport")], "header__nav")}</header>
<div class="headline"><h1 data-editable="headlineText" class="headline__text">{E(art["title"])}</h1>
<div class="headline__footer"><div class="byline"><span class="byline__names">By <span class="byline__name">{E(art["authors"][0])}</span>, CNN</span></div>
<div class="timestamp">Updated {int(t.strftime("%I"))}:{t.strftime("%M")} {t.strftime("%p")} GMT, {t.strftime("%a")} {t.strftime("%B")} {t.day}, {t.year}</div></div></div>
<main class="article__main"><div class="article__content" data-editable="content">{paras}</div>
<div class="related-content"><h2>Related articles</h2>{_en_related(rng, 6, lambda r, i: f"/2024/03/0{r.randrange(1, 5)}/world/story-{r.randrange(10**6)}/index.html")}</div></main>
<footer class="footer"><p>© 2024 Cable News Network. A Warner Bros. Discovery Company. All Rights Reserved.</p></footer>
<script>{js_blob(rng, "cnn", 110)}</script></body></html>"""
    return page, UTF8


def render_tagesschau(art, rng, pool):
    t = art["time"]
    iso = t.strftime("%Y-%m-%dT%H:%M:") + f"{secs(art):02d}+01:00"
    paras = "\n".join(
        f'<p class="textabsatz columns twelve  m-ten  m-offset-one l-eight l-offset-two">{E(s)}</p>'
        for k, s, _ in art["blocks"]
        if k == "P"
    )
    page = f"""<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>{E(art["title"])} | tagesschau.de</title>
<meta name="description" content="{E(art["lead"])}"><meta property="og:title" content="{E(art["title"])}">
<meta property="og:site_name" content="tagesschau.de"><meta name="date" content="{iso}">
<style>{css_blob(rng, "ts-", 480)}</style></head><body>
<header>{menu([("Startseite", "/"), ("Inland", "/inland"), ("Ausland", "/ausland"), ("Wirtschaft", "/wirtschaft"), ("Wissen", "/wissen"), ("Faktenfinder", "/faktenfinder"), ("Investigativ", "/investigativ")], "navigation")}</header>
<main><article class="container content-wrapper__group"><div class="seitenkopf__headline"><span class="seitenkopf__topline">Ifo-Index</span>
<h1 class="seitenkopf__headline--text">{E(art["title"])}</h1></div>
<div class="metatextline">Stand: {t.day:02d}.{t.month:02d}.{t.year} {t.strftime("%H:%M")} Uhr</div>
<p class="textabsatz"><strong>{E(art["lead"])}</strong></p>
{paras}
<div class="teaser-absatz"><h2>Mehr zum Thema</h2>{_en_related(rng, 3, lambda r, i: f"/wirtschaft/konjunktur/story-{r.randrange(10**5)}.html")}</div>
<div class="meldungsfooter">Dieses Thema im Programm: Das Erste | tagesschau | {t.day:02d}.{t.month:02d}.{t.year} 09:00 Uhr</div></article></main>
<footer><p>© ARD-aktuell / tagesschau.de</p></footer>
<script>{js_blob(rng, "tagesschau", 110)}</script></body></html>"""
    return page, UTF8


RENDERERS = {name[len("render_") :]: fn for name, fn in globals().items() if name.startswith("render_")}
