// Traditional → simplified for the characters scam scripts use (banks, police, codes, transfers,
// apps, urgency) and the most frequent everyday ones, so one rule set and one model serve both
// scripts. A full OpenCC table is ~4,000 entries; this covers what the stage rules and the
// n-gram model actually need without a dependency. Each pair is "traditional simplified".
const PAIRS =
  '銀银 帳账 賬账 戶户 號号 碼码 驗验 證证 轉转 匯汇 款款 錢钱 額额 資资 產产 財财 貸贷 債债 借借 還还 ' +
  '際际 險险 費费 稅税 繳缴 帳账 額额 資资 託托 擔担 保保 監监 督督 會会 員员 務务 處处 辦办 理理 ' +
  '線线 網网 絡络 電电 話话 機机 視视 頻频 訊讯 簡简 鏈链 連连 結结 擊击 點点 載载 裝装 軟软 體体 ' +
  '螢萤 屏屏 幕幕 遠远 程程 協协 訂订 單单 買买 賣卖 貨货 運运 遞递 郵邮 寄寄 裹裹 關关 稅税 ' +
  '國国 務务 門门 廳厅 局局 衛卫 華华 東东 學学 醫医 院院 療疗 險险 鄉乡 區区 縣县 鎮镇 ' +
  '警警 察察 偵侦 檢检 審审 判判 訴诉 訟讼 罪罪 嫌嫌 凍冻 捕捕 傳传 喚唤 緝缉 書书 涉涉 洗洗 ' +
  '們们 這这 個个 來来 說说 對对 為为 們们 麼么 嗎吗 吧吧 呢呢 啊啊 麻麻 煩烦 謝谢 請请 問问 ' +
  '讓让 給给 幫帮 將将 從从 過过 時时 間间 後后 現现 馬马 緊紧 儘尽 趕赶 內内 須须 應应 該该 ' +
  '沒没 無无 別别 與与 氣气 聽听 見见 覺觉 認认 識识 讀读 寫写 輸输 錄录 記记 憶忆 許许 ' +
  '碼码 紀纪 錄录 徵征 續续 註注 銷销 閉闭 啟启 開开 動动 態态 異异 常常 風风 盜盗 詐诈 騙骗 ' +
  '鎖锁 設设 備备 護护 權权 則则 規规 違违 法法 罰罚 責责 任任 義义 務务 賠赔 償偿 獎奖 彩彩 ' +
  '幣币 虛虚 擬拟 數数 據据 號号 碼码 卡卡 密密 碼码 鑰钥 匙匙 盾盾 ' +
  '親亲 戚戚 兒儿 孫孙 媽妈 爺爷 奶奶 舅舅 姨姨 朋朋 友友 領领 導导 闆板 總总 師师 長长 ' +
  '綁绑 贖赎 傷伤 禍祸 災灾 難难 急急 救救 術术 ' +
  '歲岁 萬万 億亿 兩两 塊块 元元 圓圆 價价 錢钱 幾几 筆笔 ' +
  '訴诉 談谈 議议 論论 講讲 語语 詢询 諮咨 調调 查查 報报 告告 證证 實实 確确 ' +
  '專专 屬属 線线 級级 層层 優优 惠惠 補补 貼贴 領领 紅红 包包 積积 分分 兌兑 換换 ' +
  '據据 顯显 示示 聯联 繫系 係系 樣样 麼么 種种 經经 濟济 濟济 營营 業业 歡欢 迎迎 ' +
  '適适 約约 預预 購购 車车 輛辆 駕驾 駛驶 場场 飛飞 龍龙 魚鱼 雞鸡 鳥鸟 ' +
  '節节 覽览 觀观 產产 發发 髮发 鐘钟 鍾钟 錯错 誤误 團团 隊队 術术 ' +
  '壓压 擴扩 據据 檔档 案案 歷历 曆历 條条 紙纸 張张 臺台 灣湾 館馆 飯饭 餐餐 麵面 ' +
  '獨独 隱隐 秘秘 掛挂 斷断 離离 靜静 ' +
  '勞劳 動动 戰战 鬥斗 爭争 奪夺 齊齐 盡尽 寶宝 貴贵 買买 賺赚 虧亏 損损 ' +
  '興兴 舉举 與与 鬧闹 聲声 響响 廣广 團团 圍围 園园 圖图 書书 裡里 裏里 著着 於于 並并 僅仅 隻只 歸归 劃划 麗丽 豐丰 鐵铁 塊块 壞坏 懷怀 滿满 習习 嚴严 戲戏 腦脑 ';

const table = new Map<number, number>();
for (const pair of PAIRS.split(' ')) {
  const t = pair.codePointAt(0);
  const s = pair.codePointAt(1);
  if (t !== undefined && s !== undefined && t !== s) table.set(t, s);
}

// One precompiled character class: most utterances have no traditional character and skip the map.
const tradChars = new RegExp(`[${[...table.keys()].map((cp) => String.fromCodePoint(cp)).join('')}]`, 'gu');

export function convertTradToSimp(text: string): string {
  tradChars.lastIndex = 0;
  if (!tradChars.test(text)) return text;
  tradChars.lastIndex = 0;
  return text.replace(tradChars, (ch) => String.fromCodePoint(table.get(ch.codePointAt(0) as number) as number));
}
