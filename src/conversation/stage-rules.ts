import type { Lang, StageId, Strength } from './types.js';

// The explainable layer: phrases of the scam script, per stage, language and strength, written
// against normalised text (lower case, simplified Chinese, ASCII digits and punctuation).
// Strength 2 is the script itself ("safe account", "read me the code", "share your screen");
// strength 1 also occurs in honest calls ("customer service", "refund", "today") and only counts
// together with other stages. Request stages are phrased as asks aimed at the listener ("give me
// your", "you need to transfer"), so a customer saying "my card number is ..." does not match.
export interface StageRule {
  stage: StageId;
  lang: Lang;
  strength: Strength;
  patterns: string[];
  /** Overrides the stage's weight for this group (see combine-risk.ts). */
  weight?: number;
}

// A span inside one clause: stops at sentence punctuation so evidence stays local.
const EN = '[^.?!;]';
const ZH = '[^,。!?;]';
// A phone or number the reader does not know: new, lost, broken, borrowed (KIN_ON_NEW_NUMBER).
const NEW_PHONE_EN =
  "\\b(?:(?:my |a |this is my |it'?s my )?new (?:number|phone|mobile|no\\.?|sim)\\b|(?:lost|broke|broken|smashed|cracked|dropped|damaged) (?:my )?(?:phone|mobile|sim)\\b|(?:phone|mobile) (?:is |got |was )?(?:broken|broke|lost|stolen|dead|damaged|smashed|not working)\\b|(?:a |my )?(?:friend'?s|mate'?s|borrowed|temporary|temp) (?:phone|number|mobile)\\b|save (?:this|my) (?:new )?number\\b)";
const NEW_PHONE_ZH = '(?:换号|换了号|换了新号|新号码?|新手机号|手机(?:坏了|丢了|掉了|被偷了|摔坏了|进水了)|用(?:同学|朋友|同事|别人)的手机|借(?:同学|朋友|同事|别人)的手机)';

// A close relative writing from a number the reader does not know: "Hi mum, I dropped my phone,
// this is my new number", 妈，我换号了. An impersonation claim (one of its patterns below), and with a
// money request in the same message the whole script of the family-impostor text ("Hi Mum" in the
// UK, 冒充熟人 in China; the FTC counts family and friend impostors among its most reported frauds):
// a single message (or recorded voicemail) with both alerts whatever the classifier says
// (RISK_PARAMS.kinOnNewNumberFloor), for the classifier learnt from 2011 texts that predate the
// scam, where a child's chatty text is ham. A relative who really changed phones loses nothing by the advice to call the number already
// known. Written from the scam's public descriptions, not from any data row; no training SMS has it.
export const KIN_ON_NEW_NUMBER: Record<Lang, string> = {
  en: [
    // The relative addressed ("Hi mum", "Dad,") or claimed ("it's your son"), then the new, lost or
    // borrowed phone. Only an address or a claim: "my mum lost her phone" is news, not the scam.
    `(?:^\\s*|\\b(?:hi|hey|hello|hiya|dear)[\\s,]+)(?:mum|mom|mam|mummy|mommy|mother|dad|daddy|father|grandma|grandpa|granny|nan|nana|gran)\\b[\\s\\S]{0,120}?${NEW_PHONE_EN}`,
    `\\b(?:it'?s|this is) (?:me,? )?your (?:son|daughter|grandson|granddaughter|boy|girl)\\b[\\s\\S]{0,120}?${NEW_PHONE_EN}`,
  ].join('|'),
  zh: [
    `(?:^\\s*(?:妈妈?|爸爸?|老妈|老爸|奶奶|爷爷|姥姥|姥爷|外婆|外公)[，,！!。\\s]|我是你(?:儿子|女儿|孙子|孙女|外孙|外孙女))[\\s\\S]{0,40}?${NEW_PHONE_ZH}`,
  ].join('|'),
};

const enOrg =
  '(?:bank|amazon|apple|microsoft|windows|paypal|irs|internal revenue|social security|ssa|police|sheriff|' +
  'government|federal|fbi|dea|customs|border|immigration|medicare|visa|mastercard|american express|' +
  'fraud (?:department|prevention|team|unit)|security (?:department|team)|' +
  'legal department|disconnection department|processing (?:center|department)|' +
  'walmart|ebay|fedex|ups|dhl|usps|postal service|utility|electric(?:ity)? company|power and light|' +
  'spectrum|at&t|verizon|comcast|direct ?tv|geek squad|norton|mcafee|coinbase|binance|chase|wells fargo|' +
  'citi(?:bank)?|bank of america|capital one|department of|treasury|attorney|court|embassy|consulate)';

const zhOrg =
  '(?:银行|公安|警察|警官|派出所|刑警|检察院|检察官|法院|银保监|银监会|证监会|人民银行|央行|金融监管|监管局|' +
  '社保|医保|税务|市场监管|工商|海关|京东金融|淘宝|天猫|支付宝|微信|财付通|拼多多|抖音|' +
  '美团|借贷|网贷|贷款|金融|运营商|移动公司|联通|电信|卫健委|疾控|反诈中心|客服中心|理赔|保险公司|彩票中心|福彩|体彩|' +
  '公司的?领导|老板|教育局|投资|资本|财富)';

export const STAGE_RULES: StageRule[] = [
  // --- impersonation: who the caller claims to be ---
  {
    stage: 'impersonation',
    lang: 'en',
    strength: 2,
    patterns: [
      `\\b(?:this is|i am|i'm|we are|we're|calling (?:you )?from|call is from|message (?:is )?from|on behalf of|reached)\\b${EN}{0,40}?\\b${enOrg}`,
      `\\b(?:this is|i am|i'm|my name is)\\s+(?:an? )?(?:officer|agent|detective|sergeant|lieutenant|inspector|deputy|federal agent|special agent|investigator|marshal)\\b`,
      '\\b(?:social security administration|internal revenue service|federal trade commission|department of (?:justice|homeland security|treasury)|drug enforcement|federal bureau)\\b',
      "\\b(?:grandma|grandpa|grandmother|grandfather|granny|nana|mom|dad|mum)\\b[,?!.]? it'?s (?:me|your (?:grandson|granddaughter|son|daughter))\\b",
      '\\b(?:customs and border protection|cbp|border patrol|homeland security|u\\.?s\\.? marshals?|sheriff.{0,2} (?:office|department)|police department|social security office)\\b',
      "\\b(?:this is|it'?s) your (?:son|daughter|grandson|granddaughter|nephew|niece|boss|manager|ceo)\\b",
      KIN_ON_NEW_NUMBER.en,
    ],
  },
  {
    stage: 'impersonation',
    lang: 'en',
    strength: 1,
    patterns: [
      '\\b(?:customer (?:service|support|care)|support team|account (?:department|services)|billing department|officer|federal agent|government agency)\\b',
      `\\b(?:this is|i'm|i am)\\b${EN}{0,25}?\\b(?:from|with) (?:the |your )?${EN}{0,20}?\\b(?:department|center|company|services|team)\\b`,
    ],
  },
  {
    stage: 'impersonation',
    lang: 'zh',
    strength: 2,
    patterns: [
      `(?:我是|我们是|这里是|这边是|我这边是|我这里是|我们这边是|本人是)${ZH}{0,12}?${zhOrg}`,
      '(?:公安局|刑警队|刑侦|网警|经侦|反诈中心|银保监会|银监会|证监会|检察院|最高法|人民法院|国家安全)',
      `(?:我是|是我)${ZH}{0,3}(?:你|您)(?:的)?(?:儿子|女儿|孙子|孙女|外甥|侄子|领导|老板|表哥|表弟|亲戚)`,
      '(?:猜猜我是谁|听不出我是谁|连我都听不出)',
      KIN_ON_NEW_NUMBER.zh,
      '(?:你|您)(?:的)?(?:儿子|女儿|孩子|孙子|家人|老公|老婆|丈夫|妻子)(?:的朋友|的同学|的老师)',
      // A stranger vouching through someone the listener knows: "我是您朋友小张的同事".
      `我是(?:你|您)(?:的)?(?:朋友|邻居|同事|同学|亲戚)${ZH}{0,4}的(?:朋友|同事|邻居|同学|室友|领导)`,
      '(?:私家侦探|紧急联系中心)',
      // Someone the listener knows, named through a third person ("我是张伟的同事", "我是您的老朋友"):
      // 146 kidnap calls of the training split, 1 legitimate call (a taxi driver).
      `我是${ZH}{1,6}的(?:朋友|同事|司机|室友|同学|邻居)|我是(?:你|您)的?(?:老朋友|邻居)`,
    ],
  },
  {
    stage: 'impersonation',
    lang: 'zh',
    strength: 1,
    // Couriers and shops call people every day; claiming to be one is only a weak sign.
    patterns: ['(?:客服代表|客服专员|工作人员|专员|官方客服|客服人员|理财顾问|投资顾问|业务员|经理)', `(?:我是|我们是|这里是|这边是)${ZH}{0,12}?(?:快递|顺丰|邮政|京东|物流)`],
  },

  // --- pretext or threat: the reason the listener must act ---
  {
    stage: 'pretext',
    lang: 'en',
    strength: 2,
    patterns: [
      '\\b(?:suspicious|unusual|fraudulent|unauthori[sz]ed|illegal|criminal) (?:activit|transaction|charge|purchase|login|log-in|sign-in|access|order|payment|use)',
      `\\b(?:account|card|social security|social|ssn|number|service|identity|license|benefits|computer|device|apple id|icloud)\\b${EN}{0,25}?\\b(?:has been|have been|will be|is being|is going to be|was|got|are being|is)\\s+(?:\\w+ )?(?:suspended|blocked|locked|compromised|breached|frozen|closed|deactivated|terminated|disconnected|hacked|flagged|cancel(?:l)?ed|used|infected|expired|expiring)`,
      '\\b(?:suspend|block|freez|lock|cancel|terminat|disconnect|revok)\\w* (?:your|the) (?:social|account|card|ssn|number|license|service|benefits|power|electricity)',
      '\\b(?:arrest warrant|warrant (?:for|against|under|on)|legal (?:action|enforcement|case|proceedings|notice)|lawsuit|law ?suit|case (?:file[d]? )?against you|money laundering|drug trafficking|under investigation|federal crime|criminal charges|tax (?:fraud|evasion|debt|lien)|back tax)',
      '\\b(?:order|purchase|payment|charge|transaction) (?:of|for|in the amount of|amounting to) \\$?\\d',
      '\\b(?:has been|was|is being|will be|being|have been) (?:charged|debited|billed|deducted|ordered|placed)\\b',
      '\\b(?:order (?:has been |was )?placed|pre-?authori[sz]ed (?:purchase|payment|order|charge)|authori[sz]e (?:a|the|this) (?:payment|order|purchase))',
      "\\b(?:car|vehicle|auto|car's|vehicle's)\\s+(?:extended )?warranty|extended warranty|close out your file|final (?:notice|courtesy call|attempt|warning)",
      '\\b(?:you (?:have )?(?:won|been selected|been chosen|been approved|been (?:pre-?)?qualified|are (?:pre-?)?approved|qualify|are eligible|are qualified|have qualified)|(?:qualif(?:y|ied)|eligible|selected|approved) (?:for|to receive))\\b',
      "\\b(?:we(?:'ve| have) been trying to (?:reach|contact) you|hardship program|(?:prime|amazon) membership\\b.{0,20}\\b(?:renew|charge|cancel)\\w*|google (?:business )?listing|free solar|solar (?:program|incentive)|settle (?:all )?(?:your )?(?:old )?tax)",
      '\\b(?:congratulations|sweepstakes|lottery|cash prize|grand prize|you won)\\b',
      '\\b(?:(?:0|zero) ?(?:%|percent) interest|lower (?:your|the) (?:interest|rate)|reduce your (?:interest|debt)|student loan (?:forgiveness|repayment|relief)|loan forgiveness)',
      '\\b(?:complimentary|free|all-inclusive) (?:stay|vacation|cruise|trip|gift|iphone|ipad|medical alert|brace|back brace)',
      '\\b(?:rebate check|overcharged|stimulus|government grant|unclaimed (?:money|funds))',
      '\\b(?:virus|malware|hack(?:er|ed)|been (?:compromised|breached)|security breach|identity theft|stolen identity)\\b',
      '\\b(?:seized|confiscated|contraband|smuggl\\w*|suspended with immediate effect)\\b|\\b(?:package|parcel|shipment|delivery|consignment)\\b' + `${EN}{0,25}?` + '\\b(?:held|on hold|seized|suspended|returned|undeliverable|detained|contain(?:s|ed|ing)? (?:illegal|drugs))',
      '\\b(?:interruption of (?:your )?service|delinquent|past due|overdue (?:balance|bill|payment)|(?:power|service|electricity) (?:will be )?(?:shut off|cut off|disconnected))',
      "\\b(?:(?:been|was|got|i'm|i am) (?:arrested|in an accident|in a car accident|kidnapped|in jail|detained)|need (?:bail|money for bail)|bail money)",
    ],
  },
  {
    stage: 'pretext',
    lang: 'en',
    strength: 1,
    patterns: [
      '\\b(?:refund|reimburse|credit (?:score|report|record)|loan|debt|warranty|investigation|fraud|security (?:issue|alert|breach)|verify your (?:identity|account)|your (?:account|order|subscription|membership) (?:has|is|was)|renewal|auto-?renew)\\w*',
      '\\b(?:offer|discount|bonus|reward|prize|winner|grant|free)\\b',
    ],
  },
  {
    stage: 'pretext',
    lang: 'zh',
    strength: 2,
    patterns: [
      `(?:账户|账号|帐户|银行卡|信用卡|卡片|社保卡|医保卡|名下)${ZH}{0,8}?(?:异常|冻结|风险|被盗|盗刷|违规|涉嫌|锁定|被限制|停用|注销|泄露|安全隐患|问题)`,
      '(?:异常(?:交易|活动|登录|转账|操作|消费|扣款)|不明(?:转账|交易|消费|扣款)|可疑(?:交易|转账|操作)|被盗刷|盗刷)',
      '(?:征信|信用记录|信用分|个人信用|芝麻信用|信用受损|影响(?:您的|你的)?信用|黑名单|失信)',
      '(?:贷款|借款|网贷|校园贷|借贷|学生贷)(?:合同|协议|账户|记录|额度|资格|通道|功能)',
      '(?:洗钱|涉嫌|犯罪|案件|通缉|逮捕|拘留|立案|传票|起诉|法律责任|违法|刑事|司法冻结|协助调查|配合调查)',
      '(?:高收益|高回报|稳赚|保本|内幕消息|年化收益|收益率|稳赚不赔|翻倍|投资机会|带单|导师)',
      `(?:会员|服务|保险|百万保障)${ZH}{0,6}?(?:自动扣费|扣费|续费|到期)`,
      `(?:注销|关闭|取消)${ZH}{0,6}?(?:账户|功能|服务|会员|贷款|学生身份|百万保障)`,
      `(?:包裹|快递|邮件)${ZH}{0,14}?(?:丢失|违禁|扣押|被扣|海关|赔偿|理赔|问题|异常|违规|无法(?:投递|派送)|退回)`,
      '(?:出事了|出了点事|出了车祸|出车祸|住院了|被抓|被绑|绑架|手术费|急救费|急需用钱|在我们手上|在我手上|赎金|晕倒|处于危险|非常危险)',
      `(?:遇到|出|遭遇)了?${ZH}{0,6}?(?:麻烦|紧急的?情况|意外|事故)|被${ZH}{0,6}?(?:扣住|带走|控制|绑走)|在(?:我们|我)手(?:上|里)|生命危险|非常危急`,
      `(?:交易|账户|帐户|资金)${ZH}{0,4}?(?:存在|出现|有)了?(?:异常|风险|问题)`,
      `(?:非法交易|非法活动|非法资金|涉及${ZH}{0,6}?案)`,
      '(?:双倍赔偿|理赔款|退款(?:到账|失败|异常)|赔付)',
    ],
  },
  {
    stage: 'pretext',
    lang: 'zh',
    strength: 2,
    // A stranger announcing a prize is the whole lure of the lottery script; no honest service call
    // opens that way.
    patterns: ['(?:中奖|大奖|奖金|幸运用户|被抽中|获奖|一等奖|特等奖|中了)'],
    weight: 2.5,
  },
  {
    stage: 'pretext',
    lang: 'zh',
    strength: 2,
    // A promised return of ten per cent or more, or one without risk: the lure of the investment
    // script. Written from the training split of zh-calls (144 of its 209 investment scams, none of
    // its 1,621 legitimate calls); honest banks quote a few per cent.
    patterns: [
      `(?:收益|回报|利润|利息)率?${ZH}{0,8}?(?:高达|达到|超过|至少|有|是)${ZH}{0,4}?(?:百分之(?:[一二三四五六七八九]?十|百)|[1-9][0-9]%)`,
      '(?:超高收益|高额回报|高额收益|稳赚不赔|保本保息|只赚不赔|零风险|无风险|几乎(?:可以说)?(?:是)?(?:保本|没有风险|零风险))',
    ],
    weight: 2.5,
  },
  {
    stage: 'pretext',
    lang: 'zh',
    strength: 1,
    patterns: ['(?:退款|退费|理赔|账户安全|资金安全|身份核实|身份验证|安全隐患|贷款|额度|投资|理财|收益|包裹|奖品|礼品|补贴|优惠)', `订单${ZH}{0,4}?(?:存在|出现|有)了?(?:异常|问题)`],
  },

  // --- isolation and secrecy ---
  {
    stage: 'isolation',
    lang: 'en',
    strength: 2,
    patterns: [
      "\\b(?:do not|don't|dont|never) (?:tell|inform|mention|discuss|share (?:this|it))\\b" + `${EN}{0,20}?` + '\\b(?:anyone|anybody|family|bank|teller|wife|husband|kids|children|son|daughter|parents|friends|police|nobody|mom|dad|mum|grandpa|grandma)',
      "\\b(?:keep (?:this|it) (?:confidential|secret|between us|private|to yourself)|stay on the (?:line|phone)|gag order|confidential (?:investigation|case))",
      `\\b(?:if|when) (?:the )?(?:bank|teller|cashier|store clerk|staff)${EN}{0,20}?\\b(?:asks?|questions?)\\b${EN}{0,30}?\\b(?:tell them|say)\\b`,
    ],
  },
  {
    stage: 'isolation',
    lang: 'en',
    strength: 1,
    patterns: ['\\b(?:confidential|between (?:you and me|us)|stay on the call|alone)\\b'],
  },
  {
    stage: 'isolation',
    lang: 'zh',
    strength: 2,
    patterns: [
      `(?:不要|别|不能|不可以|千万别)(?:告诉|跟|和|对|向|让)${ZH}{0,6}?(?:任何人|别人|家人|家里|银行|朋友|其他人|亲戚|老公|老婆|父母|同事|警察|知道)`,
      '(?:保密协议|严格保密|需要保密|要保密|不要声张|不要挂(?:断)?电话|别挂电话|不要挂机|保持通话|不要中断通话|找个(?:安静|没人|无人)的?(?:地方|房间)|单独(?:到|去|在))',
      `(?:银行|柜台|工作人员)${ZH}{0,10}?(?:问|询问)${ZH}{0,10}?(?:就说|你就说)`,
    ],
  },
  {
    stage: 'isolation',
    lang: 'zh',
    strength: 1,
    patterns: ['(?:保密|秘密|单独)'],
  },

  // --- remote access: meeting or remote-control apps, screen sharing ---
  {
    stage: 'remote-access',
    lang: 'en',
    strength: 2,
    patterns: [
      '\\b(?:anydesk|any desk|teamviewer|team viewer|ultraviewer|ultra viewer|supremo|logmein|log me in|quick ?support|screenconnect|screen connect|connectwise|rustdesk|remote ?pc|splashtop)\\b',
      '\\b(?:share|sharing) (?:your|the|my) (?:screen|desktop)|screen ?shar(?:e|ing)',
      `\\b(?:download|install|open|go to)\\b${EN}{0,30}?\\b(?:zoom|skype|webex|google meet|remote|screen ?sharing)\\b`,
      `\\b(?:remote (?:access|control|desktop|session|support)|(?:give|grant|allow)\\b${EN}{0,10}?\\baccess to your (?:computer|device|phone|screen|pc|laptop)|(?:access|connect to|control|fix|look at) your (?:computer|device|pc|laptop|screen))`,
    ],
  },
  {
    stage: 'remote-access',
    lang: 'en',
    strength: 1,
    // "Download our app" is what honest agents say too; only meeting and remote-control apps are the script.
    patterns: ['\\b(?:your computer|your screen|download|install|website|www\\.|\\.com\\b|link|app|application|software)\\b'],
  },
  {
    stage: 'remote-access',
    lang: 'zh',
    strength: 2,
    patterns: [
      `(?:下载|安装|打开|登录|进入)${ZH}{0,15}?(?:会议|zoom|腾讯会议|钉钉|向日葵|todesk|teamviewer|anydesk|远程|屏幕)`,
      '(?:屏幕共享|共享屏幕|屏幕分享|分享屏幕|共享(?:你的|您的|一下)?(?:手机)?屏幕|投屏|远程(?:控制|协助|操作|指导)|会议号|会议室号|会议码|开启共享)',
      '(?:zoom|腾讯会议|向日葵|todesk|teamviewer|anydesk|瞩目|云视讯)',
    ],
  },
  {
    stage: 'remote-access',
    lang: 'zh',
    strength: 1,
    patterns: ['(?:链接|网址|二维码|点击|下载|安装)', `(?:下载|安装)${ZH}{0,15}?(?:app|软件|应用|客户端|程序)`],
  },

  // --- credential request: codes, passwords, card data, identity numbers ---
  {
    stage: 'credential-request',
    lang: 'en',
    strength: 2,
    patterns: [
      `\\b(?:read|tell|give|provide|send|confirm|share|verify|say|enter|type|need|have|get|what(?:'s| is| was))\\b${EN}{0,30}?\\b(?:verification|security|one[- ]time|authori[sz]ation|otp|\\d[- ]digit|(?:six|four|five|eight)[- ]digit|access) (?:code|number|pin|passcode)`,
      `\\b(?:code|otp|pin)\\b${EN}{0,30}?\\b(?:we (?:just )?(?:sent|texted)|you (?:just )?received|you (?:will )?receive|sent to your (?:phone|mobile|cell|email)|texted (?:to )?you)`,
      `\\b(?:read|tell|give|send|provide|confirm|verify|need|what(?:'s| is)|enter|type)\\b${EN}{0,25}?\\b(?:your|the) (?:pin|password|passcode|cvv|cvc|security code|card verification|social security number|social security|ssn|full card number|online banking|login|log-in|username and password|mother'?s maiden name|routing number|seed phrase|recovery phrase)\\b`,
      '\\b(?:numbers? on the back of (?:your|the) card|three digits on the back|expiration date and (?:the )?(?:cvv|security code))',
    ],
  },
  {
    stage: 'credential-request',
    lang: 'en',
    strength: 1,
    patterns: [
      `\\b(?:read|tell|give|provide|confirm|verify|need|what(?:'s| is)|can i (?:have|get)|could you (?:give|provide|read|tell))\\b${EN}{0,25}?\\b(?:your|the) (?:card number|account number|credit card|debit card|bank account|date of birth|bank details|banking details)`,
      '\\b(?:verification code|security code|password|passcode|pin number|social security number)\\b',
    ],
  },
  {
    stage: 'credential-request',
    lang: 'zh',
    strength: 2,
    patterns: [
      `(?:告诉|提供|报|念|读|发|输入|填写|给|说一下|说出|核对|确认|把|需要)${ZH}{0,12}?(?:验证码|校验码|动态码|动态密码|短信码|支付密码|取款密码|登录密码|银行卡密码|密码|cvv|安全码|卡背后|背面三位|有效期)`,
      `(?:验证码|动态码|密码|安全码)${ZH}{0,10}?(?:告诉|报给|念给|发给|读给|提供给|发送给|输入)`,
      `(?:\\d|六|6)位(?:数)?(?:的)?(?:验证码|数字|密码|代码|码)`,
    ],
  },
  {
    stage: 'credential-request',
    lang: 'zh',
    strength: 1,
    patterns: [
      `(?:告诉|提供|报|念|读|发|填写|给|说一下|核对|确认|需要)${ZH}{0,10}?(?:身份证号|身份证号码|银行卡号|卡号|银行账户|账户信息|账号|开户行|身份信息|个人信息|银行卡信息)`,
      '(?:验证码|密码)',
    ],
  },

  // --- money movement ---
  {
    stage: 'money-movement',
    lang: 'en',
    strength: 2,
    patterns: [
      '\\b(?:safe|secure|safety|protected|holding|protection|government|federal|certified|designated|special|temporary|new) (?:bank )?account\\b',
      '\\b(?:gift ?cards?|google play cards?|itunes cards?|apple cards?|steam cards?|target cards?|ebay cards?|prepaid cards?|vanilla (?:visa|cards?)|green dot)\\b',
      '\\b(?:bitcoin|crypto(?:currency)?|btc|usdt|tether|ethereum|bitcoin atm|crypto atm|wallet address)\\b',
      '\\b(?:western union|moneygram|money gram|zelle|venmo|cash app|wire transfer)\\b',
      `\\b(?:you(?:'ll| will)? (?:need|have|must|should|got) to|need you to|i want you to|please|go ahead and|kindly)\\s+(?:\\w+ ){0,2}(?:transfer|send|wire|deposit|withdraw|move|buy|purchase)\\b${EN}{0,30}?\\b(?:money|funds|savings|cash|balance|[$£€] ?\\d|\\d+ (?:dollars|pounds|euros)|bail|gift)`,
      '\\b(?:pay (?:a |the |your )?(?:fine|bail|penalty|release fee|clearance fee|unlock fee|settlement))\\b',
      `\\b(?:withdraw|take out|pull out)\\b${EN}{0,20}?\\b(?:cash|money|savings)\\b`,
    ],
  },
  {
    stage: 'money-movement',
    lang: 'en',
    strength: 1,
    patterns: [
      '\\b(?:transfer|wire|payment|pay|deposit|withdraw|send (?:the )?money|funds)\\b',
      // "Can you send me £250": a sum asked of the reader, in any of the usual currencies.
      `\\b(?:send|lend|transfer|wire|give) me\\b${EN}{0,20}?(?:[$£€] ?\\d|\\d+ ?(?:dollars|pounds|euros|quid|bucks)\\b)`,
    ],
  },
  {
    stage: 'money-movement',
    lang: 'zh',
    strength: 2,
    patterns: [
      '(?:安全账户|安全帐户|认证账户|监管账户|指定账户|专用账户|核查账户|清查账户|对公账户|保护账户|资金清查|资金核查|验资|刷流水|解冻费|保证金|激活费|公证费|手续费|税费|个人所得税|备用金)',
      `(?:转账|转到|转入|汇款|汇到|打款|打到|存入|转移)${ZH}{0,12}?(?:账户|帐户|账号|这个账|指定|安全)`,
      `(?:把|将)${ZH}{0,10}?(?:钱|资金|存款|余额)${ZH}{0,10}?(?:转|汇|打|存|移)`,
      // Money raised in a hurry for someone in trouble: 25 kidnap calls of the training split, no legitimate one.
      '(?:准备|筹集|筹|凑)(?:一笔|点|些)?钱|打一笔钱|(?:给我|给他)(?:打|转|汇)(?:一笔|点)?钱',
      '(?:购买|买)(?:一些|几张)?(?:礼品卡|点卡|充值卡|游戏卡|购物卡|电子卡)',
      '(?:转|打|汇)(?:一笔|点|些|一千块|[0-9一二三四五六七八九十百千万]+(?:块|元))?钱(?:过来|给我|到)|(?:认证|处理|激活|解冻|公证|保释|疏通)费',
      '(?:虚拟货币|比特币|usdt|泰达币|数字货币|加密货币)',
      `(?:贷款|借款|网贷)${ZH}{0,8}?(?:还清|清空|刷|转出|转到|提现)`,
      `(?:缴纳|交纳|支付|交)${ZH}{0,6}?(?:保证金|押金|赎金|手续费)`,
    ],
  },
  {
    stage: 'money-movement',
    lang: 'zh',
    strength: 1,
    // Paying a fee or a duty is also what honest couriers and offices ask for.
    patterns: [
      '(?:转账|汇款|打款|转钱|投资|入金|资金)',
      `(?:缴纳|交纳|支付|交)${ZH}{0,6}?(?:费用|罚款|税)`,
      // Money sent on to someone's card or account: 你直接转到老师的卡上, 转5000块到这个账户.
      `(?:转|汇|打)(?:[0-9x一二三四五六七八九十百千万]+(?:块|元)?)?(?:到|给|进)${ZH}{0,10}?(?:卡|账)`,
    ],
  },

  // --- urgency ---
  {
    stage: 'urgency',
    lang: 'en',
    strength: 2,
    patterns: ['\\bpress (?:1|one|2|two|3|three|5|five|9|nine|0|zero)\\b', '\\b(?:reach|call) (?:me|us)\\b.{0,40}?\\b(?:1-?)?8[0-9]{2}[- .]?[0-9]{3}[- .]?[0-9]{4}\\b', '\\bcall (?:us |me )?back (?:at|on)\\b', '\\b(?:speak|talk) (?:to|with) (?:an? |the )?(?:live |next available )?(?:agent|officer|representative|specialist|agent)\\b'],
    // Keypad prompts and call-back numbers are how robocalls hand over to a live scammer; people in
    // a conversation do not say them.
    weight: 2,
  },
  {
    stage: 'urgency',
    lang: 'en',
    strength: 2,
    patterns: [
      '\\b(?:immediately|right away|urgent(?:ly)?|as soon as possible|asap|within (?:the next )?\\d+ (?:minutes|hours)|last chance|final (?:notice|warning)|limited time|act now|respond (?:immediately|now|today)|the very second|immediate effect|before it(?:\'s| is) too late)\\b',
    ],
  },
  {
    stage: 'urgency',
    lang: 'en',
    strength: 1,
    patterns: ['\\b(?:right now|today|quickly|expire[sd]?|deadline|otherwise)\\b'],
  },
  {
    stage: 'urgency',
    lang: 'zh',
    strength: 2,
    patterns: [
      // Scarcity ("千载难逢", "名额有限", "内部项目"): written from scam calls of the training split (investment, lottery); no legitimate call of it matches.
      // "情况非常紧急": 114 scam calls of the training split, no legitimate one.
      '情况(?:非常|十分|比较|特别)?(?:紧急|危急)',
      '(?:千载难逢|(?:机会|项目)(?:非常|十分)?难得|难得(?:的|一遇的?)机会|名额有限|名额不多|所剩不多|机不可失|内部(?:投资)?(?:项目|消息|机会|名额))',
      '(?:立即|立刻|马上处理|赶紧|赶快|时间紧迫|今天之内|今天内|[0-9一二两三四五六七八九十半]+(?:分钟|小时)(?:内|之内)|最后(?:期限|机会)|来不及|否则后果|后果自负|越快越好)',
    ],
  },
  {
    stage: 'urgency',
    lang: 'zh',
    strength: 1,
    patterns: ['(?:尽快|马上|紧急|否则|不然|过期|逾期|抓紧)'],
  },
];

// Openings of an inbound service call: the agent answering a customer who called them. A stranger
// running a script starts by claiming who they are; an agent starts by asking how to help.
export const SERVICE_OPENING: Record<Lang, string> = {
  en: "\\b(?:thank(?:s| you) for (?:calling|contacting|reaching out|holding|your patience)|how (?:can|may) i (?:help|assist)|what can i (?:do|help))\\b",
  zh: '(?:感谢(?:您的)?来电|感谢致电|请问有什么(?:可以)?(?:帮|帮助|为)|很高兴为您服务|欢迎致电|欢迎使用|欢迎光临|为您服务)',
};


// What an honest business says and a scammer cannot afford to mean: a way to act that bypasses the
// caller (the number on the back of the card, the official app, a branch, paying on delivery) and a
// promise never to ask for a code or PIN. Not a stage: a legitimacy cue lowers the rule log-odds
// only while no strong request has been heard (combine-risk.ts), so a scammer who recites it and
// then asks for the code, the screen or the money gains nothing. Scammers do say "official customer
// service" (官方客服), so a claim to be official is not a cue; only sending the callee elsewhere is.
export const LEGITIMACY_CUES: Record<Lang, string> = {
  en: [
    "\\b(?:we|i|the bank|nobody|no one)\\b[^.?!;]{0,25}?\\b(?:will never|would never|never|won'?t ever|will not ever)\\b[^.?!;]{0,10}?\\bask (?:you )?(?:for|to (?:give|share|read|tell|confirm))\\b[^.?!;]{0,30}\\b(?:pin|password|passcode|code|security code|full card number|social security number)\\b",
    "\\b(?:never|don'?t|do not)\\b[^.?!;]{0,5}?\\bshare\\b[^.?!;]{0,20}?\\b(?:code|pin|password)\\b[^.?!;]{0,20}?\\b(?:anyone|anybody|not even (?:with )?us)\\b",
    "\\bcall (?:us |the bank )?(?:back )?(?:at |on )?the (?:phone )?number (?:on|printed on) the back of your card\\b",
    "\\b(?:hang up and )?call (?:us )?(?:back )?(?:at |on )?the (?:official )?number (?:on|from) (?:our|the) (?:official )?website\\b",
    "\\b(?:yourself|log ?in|sign in|reset it|activate it|check it|pay it|find (?:it|the \\w+(?: \\w+)?))\\b[^.?!;]{0,15}?\\b(?:in|on|through) our (?:official )?(?:app|website)\\b",
    "\\bvisit (?:any|a|your(?: local| nearest)?) branch\\b",
  ].join('|'),
  zh: [
    `(?:官方|官网)${ZH}{0,8}?(?:app|小程序|网站|公众号)${ZH}{0,8}?(?:支付|缴纳|缴费|缴|办理|查看|查询|付款|激活)`,
    '(?:货到付款|到付)',
    `(?:营业厅|网点|柜台)${ZH}{0,4}?(?:办理|缴费|领取|激活|缴纳)`,
    `(?:拨打|打)${ZH}{0,6}?(?:卡背面|卡片背面|官方|官网)${ZH}{0,8}?(?:电话|热线)${ZH}{0,6}?核实`,
    `(?:不会|绝不会|从不|从来不)${ZH}{0,6}?(?:索要|询问|要求|问)${ZH}{0,8}?(?:密码|验证码|安全码)`,
    `(?:不要|切勿|请勿|千万别|千万不要)${ZH}{0,4}?(?:验证码|密码)${ZH}{0,6}?(?:告诉|透露|提供)${ZH}{0,4}?(?:任何人|他人|别人)`,
    // A one-time-code text names the code first, often a clause before: 验证码为…，请勿泄露给他人.
    `(?:验证码|动态码|校验码|动态密码)[^。!?;]{0,30}?(?:不要|切勿|请勿|千万别|千万不要)(?:泄露|透露|告诉|告知|转发|提供)${ZH}{0,4}?(?:任何人|他人|别人)`,
  ].join('|'),
};
