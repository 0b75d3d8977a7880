/* The editor's words in Chinese (loaded after decap-cms.js, before gongkai-cms.js and before Decap
 * starts): Decap's own zh_Hans phrases with ours over them — the phrases its Chinese lacks (Decap
 * would fall back to English), no blog words (帖子), no English (backend, URL, Markdown, Issue),
 * dates in Chinese order, and what is true on an empty form (no “修改已保存” before any save).
 * tests/unit/test_editor_locale.py checks every English phrase of Decap has a Chinese one here or in
 * Decap's zh_Hans, and that none of them shows a Latin word. */
(function () {
  "use strict";
  var CMS = window.CMS;
  if (!CMS || !CMS.getLocale || !CMS.registerLocale) {
    return;
  }

  var OURS = {
    auth: {
      loginWithForgejo: "使用 Forgejo 账号登录",
      loginWithNetlifyIdentity: "使用统一身份认证登录",
      loginWithAzure: "使用 Azure 账号登录",
      loginWithBitbucket: "使用 Bitbucket 账号登录",
      loginWithGitHub: "使用 GitHub 账号登录",
      loginWithGitLab: "使用 GitLab 账号登录",
      loginWithGitea: "使用 Gitea 账号登录",
      errors: { identitySettings: "无法连接登录认证服务，请联系信息化人员" }
    },
    app: {
      app: {
        errorHeader: "加载编辑器设置时出错",
        checkConfigYml: "请联系信息化人员检查编辑器的设置文件（由 invoke edit 生成）",
        waitingBackend: "正在连接仓库……"
      }
    },
    collection: {
      sidebar: { collections: "栏目", allCollections: "所有栏目" },
      collectionTop: {
        viewAsList: "列表显示",
        viewAsGrid: "网格显示",
        newButton: "新建%{collectionLabel}",
        newButtonAriaLabel: "新建“%{collectionLabel}”条目"
      },
      entries: {
        unpublishedHeader: "未发布的条目",
        loadingEntries: "正在加载条目……",
        cachingEntries: "正在缓存条目……",
        noEntries: "暂无条目"
      }
    },
    editor: {
      editor: {
        onPublishing: "确定把此条目并入仓库吗？（并入仓库不等于对公众公开）",
        onUnpublishing: "确定把此条目撤出仓库吗？",
        onDeleteWithUnsavedChanges: "确定删除这个已并入仓库的条目，以及尚未保存的修改吗？",
        onDeletePublishedEntry: "确定删除这个已并入仓库的条目吗？",
        onDeleteUnpublishedChangesWithUnsavedChanges: "此条目所有未并入仓库的修改和尚未保存的修改都将被删除，确定吗？",
        onDeleteUnpublishedChanges: "此条目所有未并入仓库的修改都将被删除，确定吗？",
        loadingEntry: "正在加载条目……",
        confirmLoadBackup: "发现此条目在本机浏览器中的备份，要载入吗？"
      },
      editorControl: { field: { widgetLabel: "%{widgetLabel}" } },
      editorControlPane: {
        widget: {
          rangeMin: "“%{fieldLabel}”至少应有 %{minCount} 项",
          rangeMax: "“%{fieldLabel}”至多可有 %{maxCount} 项"
        }
      },
      editorInterface: { toggleNotes: "显示或隐藏批注" },
      editorNotesPane: {
        title: "批注",
        emptyState: "还没有批注。",
        addNote: "添加批注",
        addPlaceholder: "写批注……",
        editPlaceholder: "修改批注……",
        save: "保存",
        cancel: "取消",
        edit: "修改",
        "delete": "删除",
        resolve: "标为已处理",
        unresolve: "标为未处理",
        confirmDelete: "确定删除这条批注吗？",
        shortcut: "提示：按 Ctrl+Enter 快速添加"
      },
      editorToolbar: {
        publishAndCreateNew: "发布，然后新建条目",
        publishAndDuplicate: "发布，然后复制条目",
        deleteUnpublishedEntry: "删除未发布的条目",
        deletePublishedEntry: "删除已发布的条目",
        deleteEntry: "删除条目",
        backCollection: "“%{collectionLabel}”栏目",
        changesSaved: "没有未保存的修改",
        unsavedChanges: "有未保存的修改",
        inReview: "审查中", // the workflow's step, not the entry's 审核状态 (审核中)
        statusInfoTooltipDraft: "此条目在编辑工作流中是草稿。要送审，请把状态改为“审核中”",
        statusInfoTooltipInReview: "此条目正在审核，仍可继续修改。"
      },
      editorWidgets: {
        markdown: {
          markdown: "源码",
          linkPrompt: "输入链接地址",
          strikethrough: "删除线",
          toggleMode: { rich: "切换到所见即所得", markdown: "切换到源码" }
        },
        image: {
          chooseUrl: "从网址插入",
          replaceUrl: "改用网址",
          promptUrl: "输入图片的网址",
          chooseMultiple: "选择图片",
          addMore: "添加图片",
          removeAll: "移除全部图片"
        },
        file: {
          chooseUrl: "从网址插入",
          replaceUrl: "改用网址",
          promptUrl: "输入文件的网址",
          chooseMultiple: "选择文件",
          addMore: "添加文件",
          removeAll: "移除全部文件"
        },
        datetime: { setToNow: "“%{fieldLabel}”设为今天" },
        list: { addType: "新增%{item}" },
        object: { expand: "展开", collapse: "收起" }
      }
    },
    mediaLibrary: {
      mediaLibraryCard: { copyUrl: "复制网址" },
      mediaLibraryModal: { close: "关闭" }
    },
    ui: {
      errorBoundary: {
        reportIt: "报告问题",
        privacyWarning: "报告中会带有错误信息和调试数据，请先删去其中的敏感内容"
      },
      settingsDropdown: { account: "账号选项" },
      toast: {
        onFailToLoadEntries: "加载条目失败：%{details}",
        onFailToPersist: "未保存：%{details}",
        onFailToPublishEntry: "未并入仓库：%{details}",
        missingRequiredField: "有必填项未填写，请补全表单中红字标出的各项后再保存",
        entrySaved: "条目已保存",
        entryPublished: "条目已并入仓库",
        entryUnpublished: "条目已撤出仓库",
        entryUpdated: "条目状态已更新",
        onBackendDown: "仓库服务中断，详情：%{details}",
        noteAdded: "已添加批注",
        onFailToAddNote: "添加批注失败：%{details}",
        noteUpdated: "已修改批注",
        onFailToUpdateNote: "修改批注失败：%{details}",
        noteDeleted: "已删除批注",
        onFailToDeleteNote: "删除批注失败：%{details}",
        noteResolved: "批注已标为已处理",
        noteReopened: "批注已标为未处理",
        onFailToToggleNote: "更改批注状态失败：%{details}"
      }
    },
    workflow: {
      workflow: {
        newPost: "新建条目",
        description: "%{smart_count} 个条目待审查，%{readyCount} 个已就绪",
        dateFormat: "YYYY年M月D日"
      },
      workflowCard: { deleteNewEntry: "删除新条目", publishNewEntry: "发布新条目" },
      workflowList: {
        onDeleteEntry: "确定删除此条目吗？",
        onPublishEntry: "确定把此条目并入仓库吗？（并入仓库不等于对公众公开）",
        currentEntries: "%{smart_count} 个条目"
      }
    }
  };

  function merged(base, over) {
    var out = {};
    var key;
    for (key in base) {
      if (Object.prototype.hasOwnProperty.call(base, key)) {
        out[key] = base[key];
      }
    }
    for (key in over) {
      if (Object.prototype.hasOwnProperty.call(over, key)) {
        var a = out[key];
        var b = over[key];
        out[key] = a && b && typeof a === "object" && typeof b === "object" ? merged(a, b) : b;
      }
    }
    return out;
  }

  window.GONGKAI_LOCALE = OURS;
  CMS.registerLocale("zh_Hans", merged(CMS.getLocale("zh_Hans") || {}, OURS));
}());
