"""Page chrome shared by the outlet templates: style sheets, scripts, menus, lists, footers.

Deterministic (seeded per page), so regenerating the fixtures gives the same bytes.
"""

from __future__ import annotations

import html
import json
import random

E = html.escape

HEADLINES_ZH = [
    "国务院常务会议部署推动大规模设备更新和消费品以旧换新",
    "多地发布楼市新政：首套房首付比例下调，公积金贷款额度提高",
    "外交部：中方愿同各方一道推动政治解决乌克兰危机",
    "今年前两月全国铁路完成固定资产投资同比增长",
    "北京：今年将新增养老家庭照护床位一万张",
    "上海发布优化营商环境7.0版行动方案",
    "广州地铁三条新线今年底开通，线网总里程将突破七百公里",
    "首批“国家级旅游休闲街区”名单公布",
    "新版个人所得税APP上线，年度汇算开始预约",
    "教育部：严禁以任何名义举办重点班",
    "多家银行下调大额存单利率，三年期产品难觅",
    "国家医保局：第十批药品集采拟于下半年启动",
    "“新三样”出口保持较快增长，锂电池出口额创新高",
    "全国两会新闻中心正式开放，首场记者会明日举行",
    "春季招聘开启，智能制造岗位需求旺盛",
    "气象台：华北黄淮等地本周将迎来降水",
    "一季度电影票房突破一百六十亿元",
    "国产游戏出海收入连续三年超过一百五十亿美元",
    "中国空间站将迎来第二批国际合作载荷",
    "科学家发现新的古人类化石，距今约三十万年",
    "工信部：加快推动人形机器人产业发展",
    "今年高考报名人数预计超过一千三百万",
    "多地启动“跨省通办”，异地办事更便利",
    "研究显示：每天步行八千步可显著降低死亡风险",
    "深圳前海发布支持港澳青年创业新举措",
    "海关总署：前两个月货物贸易进出口同比增长",
    "重庆：长江索道游客排队超过两小时，景区发布限流通知",
    "数字人民币试点范围扩大至全国多个省份",
    "专家解读：新能源汽车购置税减免政策延续的意义",
    "杭州亚运场馆赛后利用：九成已向公众开放",
    "中国队获得世界乒乓球团体锦标赛男女团冠军",
    "今年以来全国新设立外商投资企业数量同比增长",
    "成都大熊猫基地迎来今年首只熊猫幼崽",
    "故宫博物院开放新展区，展出清代宫廷钟表",
    "网约车平台推出适老化服务，老年人一键叫车",
    "沪深交易所发布新规，进一步规范程序化交易",
    "我国首条跨海高铁进入联调联试阶段",
    "国家统计局：1至2月份社会消费品零售总额增长",
    "今年将新建改建农村公路十五万公里",
    "中国人民银行：开展数字人民币跨境支付试点",
]

HEADLINES_EN = [
    "Stocks slip as investors weigh jobs data ahead of Fed meeting",
    "Wildfires force thousands to evacuate in western Canada",
    "Tech giants face new rules on data sharing under EU law",
    "Oil prices steady as OPEC+ extends output cuts",
    "Scientists map the ocean floor in unprecedented detail",
    "Election officials prepare for record turnout in key states",
    "Heatwave grips southern Europe as temperatures soar",
    "Central bank holds rates, signals patience on cuts",
    "New vaccine shows promise in early trials, researchers say",
    "Airline strikes disrupt holiday travel across Europe",
    "Electric car sales slow as buyers wait for cheaper models",
    "UN warns of food shortages as conflict spreads",
    "Storm brings flooding to coastal towns, thousands without power",
    "Football: late goal seals dramatic win in cup final",
    "Housing market cools as mortgage rates stay high",
    "Museum returns looted artefacts to country of origin",
    "Rescue teams search for survivors after earthquake",
    "Parliament passes sweeping reform of pension system",
    "Astronomers detect water vapour on distant planet",
    "Train drivers vote for further strikes over pay",
]

COMMENTS_ZH = [
    "这个政策好，希望尽快落地，老百姓真的需要。",
    "说得容易做起来难，关键还是看执行。",
    "我们小区去年就改造了，效果确实不错，点赞！",
    "希望不要一刀切，要根据实际情况来。",
    "数据挺好看的，但是身边的感受不太明显。",
    "支持！期待后续报道。",
    "作为从业者说一句，实际情况比文章里写的复杂得多。",
    "早该这样了，为什么拖了这么多年？",
    "楼上说得对，细节决定成败。",
    "收藏了，回头仔细研究一下。",
]

WORDS = [
    "nav",
    "header",
    "footer",
    "banner",
    "sidebar",
    "wrap",
    "inner",
    "item",
    "list",
    "title",
    "link",
    "icon",
    "logo",
    "btn",
    "search",
    "menu",
    "tab",
    "panel",
    "card",
    "media",
    "meta",
    "info",
    "tag",
    "share",
    "hot",
    "rank",
    "more",
    "arrow",
    "line",
]
PROPS = [
    "display:block",
    "display:flex",
    "display:none",
    "position:relative",
    "position:absolute",
    "float:left",
    "float:right",
    "overflow:hidden",
    "margin:0 auto",
    "padding:0 16px",
    "font-size:14px",
    "font-size:16px",
    "font-size:12px",
    "line-height:1.75",
    "color:#333",
    "color:#999",
    "color:#00a5eb",
    "background:#fff",
    "background:#f5f5f5",
    "width:100%",
    "height:40px",
    "border-bottom:1px solid #eee",
    "cursor:pointer",
    "text-align:center",
    "white-space:nowrap",
    "text-overflow:ellipsis",
    "border-radius:4px",
    "z-index:10",
    "justify-content:space-between",
    "align-items:center",
    "font-weight:700",
    "opacity:.8",
]


def rng_for(key: str) -> random.Random:
    return random.Random(key)


def css_blob(rng: random.Random, prefix: str, rules: int) -> str:
    """A minified style sheet as sites inline them (class names hashed by a bundler)."""
    out = []
    for _ in range(rules):
        name = f"{prefix}{rng.choice(WORDS)}__{rng.choice(WORDS)}_{rng.randrange(16**5):05x}"
        props = ";".join(rng.sample(PROPS, rng.randint(2, 6)))
        pseudo = rng.choice(["", "", "", ":hover", " a", " span", ">li", "::after"])
        out.append(f".{name}{pseudo}{{{props}}}")
        if rng.random() < 0.08:
            out.append(
                f"@media (max-width:{rng.choice([768, 1024, 1200])}px){{.{name}{{{rng.choice(PROPS)}}}}}"
            )
    return "".join(out)


def js_blob(rng: random.Random, module: str, functions: int) -> str:
    """A minified script bundle (webpack-like chunk)."""
    parts = [f"(self.webpackChunk_{module}=self.webpackChunk_{module}||[]).push([[{rng.randrange(999)}],{{"]
    for _n in range(functions):
        a, b, c = (rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(3))
        key = rng.randrange(10**5)
        body = rng.choice(
            [
                f"var {a}={b}({key}),{c}={b}.n({a});{b}.d(t,{{Z:function(){{return {c}}}}})",
                f"function {a}({b},{c}){{if(!{b})return null;var r=[];for(var i=0;i<{b}.length;i++)r.push({c}({b}[i],i));return r}}t.default={a}",
                f'e.exports=function({a}){{return {a}.replace(/\\s+/g," ").trim()}}',
                f'Object.defineProperty(t,"__esModule",{{value:!0}});var {a}={{track:function({b}){{window._hmt&&window._hmt.push(["_trackEvent",{b},"click"])}}}};t.default={a}',
                f'var {a}=n({key});t.fetchList=function({b}){{return {a}.get("/api/list",{{params:{{page:{b}||1,size:20}}}})}}',
            ]
        )
        parts.append(f'{key}:function(e,t,n){{"use strict";{body}}},')
    parts.append("}]);")
    return "".join(parts)


def analytics(site_id: str) -> str:
    return (
        'var _hmt = _hmt || [];\n(function() {\n  var hm = document.createElement("script");\n'
        f'  hm.src = "https://hm.baidu.com/hm.js?{site_id}";\n'
        '  var s = document.getElementsByTagName("script")[0];\n  s.parentNode.insertBefore(hm, s);\n})();'
    )


def pick(rng: random.Random, pool: list[str], n: int, exclude: str = "") -> list[str]:
    items = [h for h in pool if h and h != exclude]
    rng.shuffle(items)
    return items[:n]


def link_list(rng, pool, n, href, cls_ul="", cls_li="", with_time=None, exclude=""):
    out = [f'<ul class="{cls_ul}">']
    for i, title in enumerate(pick(rng, pool, n, exclude)):
        extra = f'<span class="time">{with_time(rng, i)}</span>' if with_time else ""
        out.append(
            f'<li class="{cls_li}"><a href="{href(rng, i)}" target="_blank">{E(title)}</a>{extra}</li>'
        )
    out.append("</ul>")
    return "\n".join(out)


def menu(items: list[tuple[str, str]], cls: str) -> str:
    return f'<ul class="{cls}">' + "".join(f'<li><a href="{u}">{E(t)}</a></li>' for t, u in items) + "</ul>"


def comments_zh(rng, n: int) -> str:
    out = ['<div class="comment-list">']
    for _i, text in enumerate(pick(rng, COMMENTS_ZH, n)):
        out.append(
            f'<div class="comment-item"><div class="user"><img src="https://avatar.example.cn/u/{rng.randrange(10**6)}.png" alt="">'
            f'<span class="nick">网友{rng.randrange(1000, 9999)}</span><span class="loc">{rng.choice(["北京", "上海", "广东", "浙江", "四川"])}</span></div>'
            f'<p class="comment-text">{E(text)}</p><div class="opts"><span class="like">{rng.randrange(300)}</span><a class="reply">回复</a></div></div>'
        )
    out.append("</div>")
    return "\n".join(out)


def json_script(obj, var: str | None = None, script_id: str | None = None, type_: str = "") -> str:
    data = json.dumps(obj, ensure_ascii=False).replace("</", "<\\/")
    attrs = (f' id="{script_id}"' if script_id else "") + (f' type="{type_}"' if type_ else "")
    body = f"window.{var} = {data};" if var else data
    return f"<script{attrs}>{body}</script>"


def inline_json(obj) -> str:
    """JSON for an inline <script> (``</`` escaped)."""
    return json.dumps(obj, ensure_ascii=False).replace("</", "<\\/")
